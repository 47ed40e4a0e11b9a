import * as Comlink from 'comlink';
import type { BackendChoice } from '../core/runs/choose-backend';
import type { ExtractProgress } from '../core/features/extract-features';
import { describeFeatureLayer } from '../core/features/feature-layers';
import type { BackboneChoice } from '../core/features/resolve-backbone';
import { pickModelFiles } from '../core/exchange';
import { importedRunOf } from '../core/runs/imported-run';
import { RUN_REF } from '../core/runs/run-ref';
import type { RunInfo } from '../core/runs/save-run';
import { trainingProblems } from '../core/runs/training-data';
import { groupDigits } from '../core/format/numbers';
import { describeExtraction, describeTraining } from '../core/format/training-progress';
import type { Version } from '../core/objects/types';
import type { SplitCounts } from '../core/train/split';
import type { Store } from '../core/store';
import { acceptance, DEFAULT_RULE, type AcceptanceRule } from '../core/train/acceptance';
import { metricsCsv } from '../core/train/metrics-csv';
import { DEFAULT_PARAMS, type TrainParams } from '../core/train/params';
import { formFromParams, paramsFromForm, type ParamsForm } from '../core/train/params-form';
import type { BatchProgress } from '../core/train/train';
import type { HistoryRow } from '../core/train/types';
import type { Classification } from '../core/runs/classify';
import { download, downloadModelFiles, downloadOnnx } from './download';
import { nextTrainJobId } from './train-jobs';
import { trainWorker, versionsWorker } from './workers';

export type TrainingPhase = 'idle' | 'preparing' | 'choosing-backend' | 'extracting' | 'training' | 'stopping' | 'stopped' | 'evaluating' | 'saving';

const PHASE_TEXT: Record<TrainingPhase, string> = {
  idle: '',
  preparing: 'Preparing images…',
  'choosing-backend': 'Measuring which backend is fastest here…',
  extracting: 'Computing features…',
  training: 'Training…',
  stopping: 'Stopping after this batch…',
  stopped: 'Stopped.',
  evaluating: 'Evaluating on the validation images…',
  saving: 'Saving the model…',
};

/** What the Training region reads from the rest of the page. */
export interface TrainingDeps {
  store: () => Store | null;
  /** How the workspace splits for training; null when it is empty. */
  trainingCounts: () => SplitCounts | null;
  workspaceId: () => string | null;
  head: () => string | null;
  /** Called after this page stored a result: re-reads what depends on it (the Versions status, storage figures). */
  changed: () => Promise<void>;
  /** Tells the status line which backend tfjs now runs on. */
  backendChanged: (backend: string) => void;
  /** This tab's experiment queue is training (in the same train worker): Train waits for it. */
  queueTraining: () => boolean;
}

/** The Training region: parameters, a run in progress, its live metrics, and the last result. */
export class TrainingState {
  form = $state<ParamsForm>(formFromParams(DEFAULT_PARAMS));
  backendChoice = $state<BackendChoice>('auto');
  /** Shown with the evaluation; a commit records it with the model (what promotion to production checks). */
  rule = $state<AcceptanceRule>({ ...DEFAULT_RULE });

  phase = $state<TrainingPhase>('idle');
  phaseDetail = $state('');
  progress = $state<{ fraction: number; text: string } | null>(null);
  backend = $state<{ backend: string; reason: string; adapter: string } | null>(null);
  history = $state<HistoryRow[]>([]);
  error = $state<string | null>(null);

  /** The stored result of the last run (uncommitted), if any. */
  result = $state.raw<{ runId: string; version: Version } | null>(null);
  classification = $state.raw<Classification | null>(null);
  /** The image the classification is of, for "Correct label". */
  classified = $state.raw<File | null>(null);
  classifyError = $state<string | null>(null);
  /** "Import model" is checking and storing picked files. */
  importing = $state(false);
  /** Why the last "Import model" was refused. */
  importError = $state<string | null>(null);
  /** Repro: the inputs matched a stored run, so it was reused instead of retrained. */
  cacheHit = $state<{ label: string; versionId: string } | null>(null);
  /** Backbones for "Pretrained features", loaded when that model is first chosen; the bundled one first. */
  backbones = $state.raw<BackboneChoice[]>([]);
  backboneError = $state<string | null>(null);
  /** "Import backbone" is checking and storing picked files; why it refused the last ones. */
  importingBackbone = $state(false);
  backboneImportError = $state<string | null>(null);
  /** The pixel range the next imported backbone expects. */
  backboneInputRange = $state<[number, number]>([0, 1]);
  /** Said after a Cancel while features were being computed. */
  notice = $state<string | null>(null);
  /** Said once per page when computed features did not fit in the browser's storage (the run used them all the same). */
  featureCacheNote = $state<string | null>(null);

  /** Said once: a run (this panel's or a queued experiment's) computed features that did not fit in storage. */
  noteFeaturesNotKept(): void {
    this.featureCacheNote ??=
      'The features are computed, but they did not fit in the browser’s storage, so they are not kept: the next run computes them again. Free space with Clean up (under Storage) to keep them.';
  }

  private jobId = 0;

  /** The backbone the form names (its first when none is named yet). */
  readonly backbone = $derived(this.backbones.find((choice) => choice.id === this.form.backbone) ?? this.backbones[0] ?? null);
  readonly formResult = $derived(paramsFromForm(this.form, DEFAULT_PARAMS, this.backbone));
  /** "Feature layer"'s options: every layer, after the backbone's default when that joins several. */
  readonly featureLayerOptions = $derived.by(() => {
    const { backbone } = this;
    if (!backbone) return [];
    return backbone.layers.includes(backbone.layer) ? backbone.layers : [backbone.layer, ...backbone.layers];
  });
  /** The form's feature layer in words ("layer x (…)", "layers x and y side by side (…)"). */
  readonly featureLayerText = $derived.by(() => {
    const { backbone } = this;
    const layer = this.formResult.params.featureLayer;
    return backbone && layer ? describeFeatureLayer(layer, (name) => backbone.layers.includes(name)) : '';
  });
  readonly problems = $derived.by(() => {
    if (this.formResult.problems.length) return this.formResult.problems;
    if (this.form.architecture === 'pretrained-features' && !this.backbone) {
      return [this.backboneError ?? 'Loading the pretrained backbone…'];
    }
    if (this.deps.queueTraining()) return ['The experiment queue is training in this tab: wait for it to finish, or queue this run there.'];
    return trainingProblems(this.deps.trainingCounts(), this.formResult.params);
  });
  readonly busy = $derived(!['idle', 'stopped'].includes(this.phase));
  /** A stopped run waits for Keep or Discard; an import would replace its model. */
  readonly canImport = $derived(!this.busy && this.phase !== 'stopped' && !this.importing);
  /** Where the last result came from, when it was imported rather than trained here. */
  readonly imported = $derived(importedRunOf(this.result?.version.run ?? null));
  /** How the last result was trained here (null for an imported model). */
  readonly runInfo = $derived(this.imported ? null : ((this.result?.version.run ?? null) as RunInfo | null));
  /** The last result's classes, in the order of its outputs (trained here or imported). */
  readonly classNames = $derived((this.result?.version.run?.['classNames'] as string[] | undefined) ?? []);
  readonly verdict = $derived(this.result ? acceptance(this.result.version.metrics[this.rule.metric], this.rule) : null);
  readonly phaseText = $derived(this.phaseDetail || PHASE_TEXT[this.phase]);

  constructor(private readonly deps: TrainingDeps) {}

  /** Shows the last stored run after a reload. */
  async load(): Promise<void> {
    // A run in progress owns the live history; the stored result is shown again when it ends.
    if (this.busy) return;
    const store = this.deps.store();
    const runId = store ? await store.getRef(RUN_REF) : undefined;
    // "Up to date" holds while the reused run is the current one.
    if (this.cacheHit?.versionId !== runId) this.cacheHit = null;
    if (!store) return;
    if (!runId) {
      this.result = null;
      this.history = [];
      return;
    }
    const version = await store.getObject(runId, 'version');
    // A committed version brings the rule it was committed with (a new result keeps the one set).
    if (version.acceptance && runId !== this.result?.runId) this.rule = { ...version.acceptance };
    this.result = { runId, version };
    this.history = version.history as HistoryRow[];
  }

  /** The Model select changed: "Pretrained features" needs the backbones (the bundled one loads from this origin). */
  async modelChanged(): Promise<void> {
    if (this.form.architecture === 'pretrained-features') await this.loadBackbones();
  }

  /** The backbones for "Pretrained features" (the Model select, or a grid that includes that model), loaded once. */
  async loadBackbones(): Promise<void> {
    if (this.backbones.length > 0) return;
    this.backboneError = null;
    try {
      this.backbones = await trainWorker.backbones();
    } catch (error) {
      this.backboneError = `The pretrained backbone did not load: ${(error as Error).message}`;
    }
  }

  /** "Import backbone": a tfjs image model becomes a backbone to choose, or is refused with nothing stored. */
  async importBackbone(files: File[]): Promise<void> {
    if (this.busy || this.importingBackbone || files.length === 0) return;
    this.importingBackbone = true;
    this.backboneImportError = null;
    try {
      const id = await trainWorker.importBackbone(files, $state.snapshot(this.backboneInputRange) as [number, number]);
      this.backbones = await trainWorker.backbones();
      this.form.backbone = id;
      this.backboneChanged();
    } catch (error) {
      this.backboneImportError = `Backbone not imported: ${(error as Error).message} Nothing was stored.`;
    } finally {
      this.importingBackbone = false;
    }
  }

  /** The form takes these parameters (an applied experiment's), the backend too when given. */
  useParams(params: TrainParams, backend?: BackendChoice): void {
    this.form = formFromParams(params);
    if (backend) this.backendChoice = backend;
  }

  /** The Backbone select changed: its own default layer and image size apply until others are set. */
  backboneChanged(): void {
    this.form.featureLayer = null;
    this.form.featureSize = null;
  }

  /** Trains, unless a stored run has the same inputs (DVC's run-cache) and `anyway` is not set. */
  async train(anyway = false): Promise<void> {
    if (this.busy || this.problems.length > 0) return;
    const params: TrainParams = $state.snapshot(this.formResult.params) as TrainParams;
    this.cacheHit = null;
    if (!anyway && (await this.reuseCachedRun(params))) return;
    this.jobId = nextTrainJobId();
    this.error = null;
    this.notice = null;
    this.history = [];
    this.backend = null;
    this.classification = null;
    this.progress = null;
    this.phase = 'preparing';
    const epochs = params.epochs;
    const jobId = this.jobId;
    // Progress of a job that has already ended (or been replaced) is old news.
    const current = () => this.jobId === jobId && this.busy;
    const events = {
      onPhase: (phase: TrainingPhase) => {
        if (!current()) return;
        if (this.phase !== 'stopping') this.phase = phase;
        this.phaseDetail = '';
      },
      onDecode: (done: number, total: number) => {
        if (!current()) return;
        this.phaseDetail = `Preparing images: ${groupDigits(done)} / ${groupDigits(total)}`;
      },
      onBackend: (decision: { backend: string; reason: string; adapter: string }) => {
        this.backend = decision;
        this.deps.backendChanged(decision.backend);
      },
      onExtract: (progress: ExtractProgress) => {
        if (!current()) return;
        this.progress = describeExtraction(progress);
      },
      onFeaturesNotKept: () => this.noteFeaturesNotKept(),
      onBatch: (progress: BatchProgress) => {
        if (!current()) return;
        this.progress = describeTraining(progress, epochs);
      },
      onEpoch: (row: HistoryRow) => {
        if (!current()) return;
        this.history = [...this.history.filter((earlier) => earlier.epoch !== row.epoch), row];
      },
    };
    try {
      const outcome = await trainWorker.train(
        this.jobId,
        { params, backend: this.backendChoice, parent: this.deps.head(), appVersion: __APP_VERSION__ },
        Comlink.proxy(events),
      );
      if (outcome.status === 'done') await this.settle(outcome.runId, outcome.version);
      else {
        if (outcome.status === 'cancelled' && this.extractionCancelled) {
          this.notice = 'Cancelled. The features computed so far are kept: the next Train computes only the rest.';
        }
        this.phase = outcome.status === 'stopped' ? 'stopped' : 'idle';
      }
    } catch (error) {
      this.error = (error as Error).message;
      this.phase = 'idle';
    } finally {
      this.phaseDetail = '';
    }
  }

  private async reuseCachedRun(params: TrainParams): Promise<boolean> {
    const datasetId = this.deps.workspaceId();
    if (!datasetId) return false;
    const hit = await versionsWorker.cachedRun({ datasetId, params, appVersion: __APP_VERSION__ });
    if (!hit) return false;
    if (this.result?.runId !== hit.versionId) {
      await versionsWorker.reuseRun(hit.versionId);
      await this.deps.changed();
    }
    this.cacheHit = { label: hit.label, versionId: hit.versionId };
    return true;
  }

  /** Whether the last Stop (or Cancel) came while features were being computed. */
  private extractionCancelled = false;

  stop(): void {
    if (!['training', 'preparing', 'choosing-backend', 'extracting'].includes(this.phase)) return;
    this.extractionCancelled = this.phase === 'extracting';
    this.phase = 'stopping';
    void trainWorker.stop(this.jobId);
  }

  /** After Stop: keep the finished epochs as the result, on purpose. */
  async keepStopped(): Promise<void> {
    try {
      const outcome = await trainWorker.keepStopped(this.jobId, Comlink.proxy({ onPhase: (phase: TrainingPhase) => void (this.phase = phase) }));
      await this.settle(outcome.runId, outcome.version);
    } catch (error) {
      this.error = (error as Error).message;
      this.phase = 'idle';
    }
  }

  discardStopped(): void {
    void trainWorker.discardStopped(this.jobId);
    this.history = this.result ? (this.result.version.history as HistoryRow[]) : [];
    this.phase = 'idle';
  }

  async classify(file: File): Promise<void> {
    this.classifyError = null;
    // The previous image's result must not stand beside this image's preview.
    this.classification = null;
    this.classified = file;
    try {
      this.classification = await trainWorker.classify(file);
    } catch (error) {
      this.classifyError = `Could not classify ${file.name}: ${(error as Error).message}`;
    }
  }

  /** "Import model": model.json, weights.bin and metadata.json become the last result, or are refused with nothing stored. */
  async importModel(files: File[]): Promise<void> {
    if (!this.canImport) return;
    this.importing = true;
    this.importError = null;
    try {
      const outcome = await trainWorker.importModel(pickModelFiles(files));
      this.error = null;
      this.cacheHit = null;
      this.classification = null;
      await this.settle(outcome.runId, outcome.version);
    } catch (error) {
      this.importError = `Model not imported: ${(error as Error).message} Nothing was stored; the previous result is kept.`;
    } finally {
      this.importing = false;
    }
  }

  async downloadModel(): Promise<void> {
    if (!this.result) return;
    try {
      downloadModelFiles(await versionsWorker.exportModel(this.result.runId));
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  async downloadOnnx(): Promise<void> {
    if (!this.result) return;
    try {
      await downloadOnnx(this.result.runId);
    } catch (error) {
      this.error = (error as Error).message;
    }
  }

  downloadMetrics(): void {
    download('metrics.csv', metricsCsv(this.history), 'text/csv');
  }

  private async settle(runId: string, version: Version): Promise<void> {
    this.result = { runId, version };
    this.history = version.history as HistoryRow[];
    this.phase = 'idle';
    this.progress = null;
    await this.deps.changed();
  }
}
