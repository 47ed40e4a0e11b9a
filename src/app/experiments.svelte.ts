import * as Comlink from 'comlink';
import { SvelteSet } from 'svelte/reactivity';
import {
  bestRows,
  buildGrid,
  experimentsCsv,
  experimentsJson,
  parseValues,
  runQueue,
  scatterOf,
  sortRows,
  tablePage,
  type ExperimentRecord,
  type ExperimentRequest,
  type ExperimentTable,
  type GridChoices,
  type QueueRunner,
  type TrainOutcome,
} from '../core/experiments';
import { newExperimentId } from '../core/experiments/experiment-id';
import { formatBytes } from '../core/format/bytes';
import { countOf } from '../core/format/numbers';
import { describeExtraction, describeTraining, type ProgressView } from '../core/format/training-progress';
import { trainingProblems } from '../core/runs/training-data';
import type { Store } from '../core/store';
import { ARCHITECTURES, DEFAULT_PARAMS, type Architecture, type TrainParams } from '../core/train/params';
import type { SplitCounts } from '../core/train/split';
import type { HistoryRow } from '../core/train/types';
import { download } from './download';
import { nextTrainJobId } from './train-jobs';
import type { TrainingState } from './training.svelte';
import { trainWorker, versionsWorker } from './workers';
import { guarded } from './guarded';

/** The notice while the running experiment stops after its batch. */
const STOPPING = 'Stopping after this batch…';

/** One Web Lock for the whole origin: only the tab holding it runs the queue. */
export const QUEUE_LOCK = 'pawprint-experiment-queue';

/** An on/off parameter in the grid: one value, or both. */
export type SwitchChoice = 'off' | 'on' | 'both';

/** The "Queue experiments" form: each numeric field holds its values as typed ("0.001, 0.01"). */
export interface GridForm {
  models: Record<Architecture, boolean>;
  imageSize: string;
  learningRate: string;
  epochs: string;
  batchSize: string;
  seed: string;
  flip: SwitchChoice;
  shift: SwitchChoice;
}

const FIELD_LABELS = { imageSize: 'Image size', learningRate: 'Learning rate', epochs: 'Epochs', batchSize: 'Batch size', seed: 'Seed' } as const;

/** The experiment being trained (here or in another tab) as the page shows it. */
export interface LiveRun {
  id: string;
  name: string;
  phase: string;
  progress: ProgressView | null;
  history: HistoryRow[];
}

type QueueMessage = { type: 'changed' } | { type: 'live'; live: LiveRun | null } | { type: 'stop'; id: string };

const PHASE_TEXT: Record<string, string> = {
  preparing: 'Preparing images…',
  'choosing-backend': 'Measuring which backend is fastest here…',
  extracting: 'Computing features…',
  training: 'Training…',
  evaluating: 'Evaluating…',
  saving: 'Saving the model…',
};

export interface ExperimentsDeps {
  store: () => Store | null;
  training: TrainingState;
  workspaceId: () => string | null;
  trainingCounts: () => SplitCounts | null;
  head: () => string | null;
  /** After Apply or Remove (refs and storage moved): the whole page re-reads, other tabs too. */
  changed: () => Promise<void>;
}

const asSwitch = (on: boolean): SwitchChoice => (on ? 'on' : 'off');

function gridFromParams(params: TrainParams): GridForm {
  const models = Object.fromEntries(ARCHITECTURES.map((name) => [name, name === params.architecture])) as Record<Architecture, boolean>;
  return {
    models,
    imageSize: String(params.imageSize),
    learningRate: String(params.learningRate),
    epochs: String(params.epochs),
    batchSize: String(params.batchSize),
    seed: String(params.seed),
    flip: asSwitch(params.augment.flip),
    shift: asSwitch(params.augment.shift),
  };
}

const switchValues = (choice: SwitchChoice) => (choice === 'both' ? [false, true] : [choice === 'on']);

/**
 * The Experiments region (`dvc exp`): the grid to queue, the queue run one
 * experiment after another in the train worker by the one tab holding the
 * queue's Web Lock, the table of runs with its plots, Apply, Remove and the
 * CSV/JSON export. Other tabs follow on a BroadcastChannel: the table when it
 * changes, the running experiment's progress, Stop.
 */
export class ExperimentsState {
  table = $state.raw<ExperimentTable>({ rows: [], baseline: null });
  /** Starts as the Training form starts; "Use the form's values" copies it again. */
  grid = $state<GridForm>(gridFromParams(DEFAULT_PARAMS));
  /** The column the table is sorted by (null: queue order) and which way. */
  sort = $state<{ key: string | null; direction: 'ascending' | 'descending' }>({ key: null, direction: 'descending' });
  /** Runs whose learning curves are overlaid. */
  readonly ticked = new SvelteSet<string>();
  curveMetric = $state('val_accuracy');
  scatterParam = $state('learning_rate');
  scatterMetric = $state('val_accuracy');
  /** The scatter's x axis: log or linear as chosen; null follows what the param suggests. */
  logAxis = $state<boolean | null>(null);
  live = $state.raw<LiveRun | null>(null);
  /** This tab holds the queue's lock and runs it. */
  runningHere = $state(false);
  busy = $state(false);
  notice = $state<string | null>(null);
  error = $state<string | null>(null);

  readonly gridResult = $derived.by(() => this.gridRuns());
  readonly rows = $derived(this.sort.key === null ? this.table.rows : sortRows(this.table.rows, this.sort.key, this.sort.direction));
  /** The table shows its first page (and every queued or running row) until "Show all". */
  showAll = $state(false);
  readonly shownRows = $derived(this.showAll ? this.rows : tablePage(this.rows));
  readonly best = $derived(bestRows(this.table.rows));
  readonly scatter = $derived(scatterOf(this.table.rows, this.scatterParam, this.scatterMetric));
  readonly logScale = $derived(this.scatter.logPossible && (this.logAxis ?? this.scatter.logSuggested));
  readonly counts = $derived.by(() => {
    const count = (status: string) => this.table.rows.filter((row) => row.status === status).length;
    return { queued: count('queued'), running: count('running') };
  });

  /** Random per tab: the records say which tab ran them. */
  private readonly tabId = newExperimentId();
  private readonly channel = new BroadcastChannel('pawprint-experiments');
  private lockWanted = false;
  private jobId = 0;

  constructor(private readonly deps: ExperimentsDeps) {
    this.channel.onmessage = (event: MessageEvent<QueueMessage>) => this.hear(event.data);
  }

  async load(): Promise<void> {
    if (!this.deps.store()) return;
    this.table = await versionsWorker.experiments();
    const ids = new Set(this.table.rows.map((row) => row.id));
    for (const id of this.ticked) if (!ids.has(id)) this.ticked.delete(id);
    this.ensureRunner();
  }

  /** Fills the grid with the Training form's values (one run: the form as it is). */
  useFormValues(): void {
    this.grid = gridFromParams(this.deps.training.formResult.params);
  }

  /** The grid's Model boxes changed: pretrained features need the backbone loaded. */
  modelsChanged(): void {
    if (this.grid.models['pretrained-features']) void this.deps.training.loadBackbones();
  }

  async queueGrid(): Promise<void> {
    const { params, problems } = this.gridResult;
    if (problems.length > 0 || params.length === 0) {
      this.error = `Nothing was queued: ${problems.join(' ')}`;
      return;
    }
    await this.queue(params);
  }

  /** "Queue one run": the Training form's parameters as they are. */
  async queueOne(): Promise<void> {
    const { params, problems } = this.deps.training.formResult;
    const all = problems.length ? problems : trainingProblems(this.deps.trainingCounts(), params);
    if (all.length > 0) {
      this.error = `Nothing was queued: ${all.join(' ')}`;
      return;
    }
    await this.queue([$state.snapshot(params) as TrainParams]);
  }

  async cancel(id: string): Promise<void> {
    await this.act(async () => {
      await versionsWorker.endExperiment(id, 'cancelled', 'Cancelled before it ran.');
      await this.stepped();
    });
  }

  /** Stop the running experiment, here or (through the channel) in the tab that runs it. */
  stop(id: string): void {
    if (this.runningHere && this.live?.id === id) void trainWorker.stop(this.jobId);
    else this.channel.postMessage({ type: 'stop', id } satisfies QueueMessage);
    this.notice = STOPPING;
  }

  async requeue(id: string): Promise<void> {
    await this.act(async () => {
      const record = await versionsWorker.requeueExperiment(id);
      this.notice = `Queued ${record.name} again.`;
      await this.stepped();
    });
  }

  /** "Apply": the run's params fill the Training form and its model becomes the last run; Commit makes it a version. */
  async apply(id: string): Promise<void> {
    const row = this.table.rows.find((candidate) => candidate.id === id);
    await this.act(async () => {
      const applied = await versionsWorker.applyExperiment(id);
      this.deps.training.useParams(applied.result.params as unknown as TrainParams, row?.backend);
      this.notice = `Applied ${row?.name ?? 'the experiment'}: its parameters and model are in the workspace${applied.datasetChanged ? ', with the data set it trained on' : ''}. Commit makes it a version.`;
      await this.deps.changed();
    });
  }

  async remove(id: string): Promise<void> {
    const name = this.table.rows.find((row) => row.id === id)?.name ?? 'the experiment';
    await this.act(async () => {
      const freed = await versionsWorker.removeExperiment(id);
      this.ticked.delete(id);
      this.notice = `Removed ${name}: ${formatBytes(freed.bytesFreed)} freed${freed.bytesFreed === 0 ? ' (what it held is kept by other versions or runs)' : ''}.`;
      await this.deps.changed();
    });
  }

  toggleTick(id: string): void {
    if (this.ticked.has(id)) this.ticked.delete(id);
    else this.ticked.add(id);
  }

  sortBy(key: string): void {
    this.sort = this.sort.key === key ? { key, direction: this.sort.direction === 'descending' ? 'ascending' : 'descending' } : { key, direction: 'descending' };
  }

  downloadCsv(): void {
    download('experiments.csv', experimentsCsv({ ...this.table, rows: this.rows }), 'text/csv');
  }

  downloadJson(): void {
    download('experiments.json', experimentsJson({ ...this.table, rows: this.rows }), 'application/json');
  }

  /** The grid's runs, or why it cannot be queued (a field that is not numbers, a run that cannot train). */
  private gridRuns(): { params: TrainParams[]; problems: string[] } {
    const numbers = {} as Record<keyof typeof FIELD_LABELS, number[]>;
    const problems: string[] = [];
    for (const [field, label] of Object.entries(FIELD_LABELS) as [keyof typeof FIELD_LABELS, string][]) {
      const parsed = parseValues(this.grid[field], label);
      if (parsed.problem) problems.push(parsed.problem);
      numbers[field] = parsed.values;
    }
    const architecture = ARCHITECTURES.filter((name) => this.grid.models[name]);
    if (architecture.length === 0) problems.push('Tick at least one model.');
    if (problems.length > 0) return { params: [], problems };
    const training = this.deps.training;
    if (architecture.includes('pretrained-features') && !training.backbone) return { params: [], problems: [training.backboneError ?? 'Loading the pretrained backbone…'] };
    const choices: GridChoices = { architecture, ...numbers, flip: switchValues(this.grid.flip), shift: switchValues(this.grid.shift) };
    const params = buildGrid(choices, training.formResult.params, training.backbone);
    const counts = this.deps.trainingCounts();
    const refused = new Map<string, number>();
    for (const run of params) for (const problem of trainingProblems(counts, run)) refused.set(problem, (refused.get(problem) ?? 0) + 1);
    return {
      params,
      problems: [...refused].map(([problem, runs]) => (params.length > 1 ? `${problem} (${runs} of ${countOf(params.length, 'run')})` : problem)),
    };
  }

  private async queue(params: TrainParams[]): Promise<void> {
    const datasetId = this.deps.workspaceId();
    if (!datasetId) {
      this.error = 'Nothing was queued: add images first.';
      return;
    }
    await this.act(async () => {
      const requests: ExperimentRequest[] = params.map((run) => ({
        params: run,
        backend: this.deps.training.backendChoice,
        datasetId,
        baseline: this.deps.head(),
        appVersion: __APP_VERSION__,
      }));
      const records = await versionsWorker.queueExperiments(requests);
      this.notice = `Queued ${countOf(records.length, 'run')}: ${records.map((record) => record.name).join(', ')}.`;
      await this.stepped();
    });
  }

  /** A change to the queue made here: re-read the table, tell the other tabs, and run the queue if it is this tab's turn. */
  private async stepped(): Promise<void> {
    await this.load();
    this.channel.postMessage({ type: 'changed' } satisfies QueueMessage);
  }

  private hear(message: QueueMessage): void {
    if (message.type === 'changed') void this.load();
    else if (message.type === 'live' && !this.runningHere) this.live = message.live;
    else if (message.type === 'stop' && this.runningHere && this.live?.id === message.id) void trainWorker.stop(this.jobId);
  }

  /**
   * Asks for the queue's Web Lock when something is queued (or left running by
   * a tab that closed): granted at once unless another tab runs the queue,
   * else when that tab finishes or closes. The holder runs the queue to its
   * end and lets go.
   */
  private ensureRunner(): void {
    if (this.lockWanted || !navigator.locks) return;
    if (!this.table.rows.some((row) => row.status === 'queued' || row.status === 'running')) return;
    this.lockWanted = true;
    let failed = false;
    navigator.locks
      .request(QUEUE_LOCK, async () => {
        this.runningHere = true;
        try {
          await runQueue(this.runner);
        } finally {
          this.runningHere = false;
          this.setLive(null);
        }
      })
      .catch((error: unknown) => {
        failed = true;
        this.error = `The experiment queue stopped: ${(error as Error).message}`;
      })
      .finally(() => {
        this.lockWanted = false;
        // The whole page (storage figures included) re-reads once the queue is done; load() runs the queue again if more came meanwhile.
        if (!failed) void this.deps.changed();
      });
  }

  private readonly runner: QueueRunner = {
    markInterrupted: () => versionsWorker.markInterrupted(),
    startNext: () => versionsWorker.startNextExperiment(this.tabId),
    train: (record) => this.train(record),
    end: (record, status, reason) => versionsWorker.endExperiment(record.id, status, reason),
    changed: () => this.stepped(),
  };

  /** One experiment in the train worker, after any run the Train button started here. */
  private async train(record: ExperimentRecord): Promise<TrainOutcome> {
    while (this.deps.training.busy) await new Promise((resolve) => setTimeout(resolve, 250));
    this.jobId = nextTrainJobId();
    const epochs = record.params.epochs;
    let live: LiveRun = { id: record.id, name: record.name, phase: PHASE_TEXT['preparing']!, progress: null, history: [] };
    const update = (change: Partial<LiveRun>) => {
      live = { ...live, ...change };
      this.setLive(live);
    };
    update({});
    const events = {
      onPhase: (phase: string) => update({ phase: PHASE_TEXT[phase] ?? phase, ...(phase === 'training' ? {} : { progress: null }) }),
      onDecode: (done: number, total: number) => update({ progress: { fraction: done / total, text: `${done} / ${total} images` } }),
      onBackend: () => undefined,
      onExtract: (progress: Parameters<typeof describeExtraction>[0]) => update({ progress: describeExtraction(progress) }),
      onBatch: (progress: Parameters<typeof describeTraining>[0]) => update({ progress: describeTraining(progress, epochs) }),
      onEpoch: (row: HistoryRow) => update({ history: [...live.history.filter((earlier) => earlier.epoch !== row.epoch), row] }),
      onFeaturesNotKept: () => this.deps.training.noteFeaturesNotKept(),
    };
    const outcome = await trainWorker.train(
      this.jobId,
      {
        params: record.params,
        backend: record.backend,
        parent: record.baseline,
        appVersion: record.appVersion,
        experiment: { id: record.id, datasetId: record.datasetId },
      },
      Comlink.proxy(events),
    );
    // The run that was asked to stop has; any other notice ("Queued 2 runs: …") stays until the next action.
    if (this.notice === STOPPING) this.notice = null;
    return outcome.status === 'done' ? { status: 'done' } : { status: 'stopped' };
  }

  private setLive(live: LiveRun | null): void {
    this.live = live;
    this.channel.postMessage({ type: 'live', live } satisfies QueueMessage);
  }

  private act(operation: () => Promise<void>): Promise<void> {
    return guarded(this, operation);
  }
}
