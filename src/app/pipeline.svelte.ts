import { SvelteMap } from 'svelte/reactivity';
import { STAGE_NAMES, type PipelineView, type StageName } from '../core/pipeline';
import { countOf } from '../core/format/numbers';
import type { TrainParams } from '../core/train/params';
import type { DatasetState } from './dataset.svelte';
import type { TrainingPhase, TrainingState } from './training.svelte';
import { versionsWorker } from './workers';

/** A stage during Reproduce: waiting its turn, running (with the progress of the job that runs it), done, or skipped (up to date). */
export type StageRun = 'waiting' | 'running' | 'done' | 'skipped' | 'failed';

/** Which stage a phase of a training run belongs to. */
const STAGE_OF_PHASE: Partial<Record<TrainingPhase, StageName>> = {
  preparing: 'preprocess',
  extracting: 'preprocess',
  'choosing-backend': 'train',
  training: 'train',
  stopping: 'train',
  saving: 'train',
  evaluating: 'evaluate',
};

export interface PipelineDeps {
  dataset: DatasetState;
  training: TrainingState;
}

/**
 * The Pipeline region (`dvc status`, `dvc repro`): the stages' status for the
 * workspace, the last run and the Training form's params, re-read whenever one
 * of them changes; Reproduce runs the stale stages in order — validate and
 * preprocess through the dataset worker's check, train and evaluate through
 * Train (whose run-cache answers an unchanged train) — with progress per stage.
 */
export class PipelineState {
  view = $state.raw<PipelineView | null>(null);
  /** During and after Reproduce: how each stage went. */
  readonly runs = new SvelteMap<StageName, StageRun>();
  reproducing = $state(false);
  result = $state<string | null>(null);
  error = $state<string | null>(null);

  /** The stage running now and its progress, read from the job that runs it. */
  readonly current = $derived.by((): { stage: StageName; fraction: number | null; text: string } | null => {
    const stage = [...this.runs].find(([, run]) => run === 'running')?.[0];
    if (!stage) return null;
    const { dataset, training } = this.deps;
    if (stage === 'validate' || stage === 'preprocess') {
      if (dataset.phase === 'checking') return { stage, fraction: dataset.progress?.fraction ?? null, text: dataset.progress?.text ?? 'Decoding images…' };
    }
    const phaseStage = STAGE_OF_PHASE[training.phase];
    if (phaseStage) return { stage: phaseStage, fraction: training.progress?.fraction ?? null, text: [training.phaseText, training.progress?.text ?? ''].join(' ').trim() };
    return { stage, fraction: null, text: '' };
  });

  private loads = 0;

  /** How a stage shows during Reproduce: of the stages one job runs, those before the current one are done, those after it wait. */
  runOf(name: StageName): StageRun | null {
    const run = this.runs.get(name) ?? null;
    const current = this.current?.stage;
    if (run !== 'running' || !current || current === name) return run;
    return STAGE_NAMES.indexOf(name) < STAGE_NAMES.indexOf(current) ? 'done' : 'waiting';
  }

  constructor(private readonly deps: PipelineDeps) {}

  /**
   * Re-reads the status. Called from an effect, it also subscribes to every input of the status
   * (the workspace, the last run, the check, the form's params), so it runs again when one changes.
   */
  refresh(): void {
    void [this.deps.dataset.workspaceId, this.deps.training.result];
    void this.load();
  }

  async load(): Promise<void> {
    const load = ++this.loads;
    const params = $state.snapshot(this.deps.training.formResult.params) as TrainParams;
    try {
      const view = await versionsWorker.pipeline({ params, checkedDatasetId: this.deps.dataset.checkedId, appVersion: __APP_VERSION__ });
      // A later load may have finished first: only the newest inputs count.
      if (load === this.loads) this.view = view;
    } catch (error) {
      if (load === this.loads) this.error = (error as Error).message;
    }
  }

  /** `dvc repro`: the stale stages, in order; a stage that fails stops the rest. */
  async reproduce(): Promise<void> {
    const view = this.view;
    if (this.reproducing || !view) return;
    const { dataset, training } = this.deps;
    if (training.busy || dataset.phase !== 'idle') {
      this.error = 'Wait for the current import, check or training to finish, then reproduce.';
      return;
    }
    const stale = new Set(view.stale);
    if (stale.size === 0) {
      this.result = 'Data and pipelines are up to date: nothing to reproduce.';
      return;
    }
    if (training.problems.length > 0 && (stale.has('train') || stale.has('evaluate'))) {
      this.error = `Nothing was reproduced: ${training.problems.join(' ')}`;
      return;
    }
    this.reproducing = true;
    this.error = null;
    this.result = null;
    this.runs.clear();
    for (const stage of view.stages) this.runs.set(stage.name, stale.has(stage.name) ? 'waiting' : 'skipped');
    const pretrained = training.formResult.params.architecture === 'pretrained-features';
    const trainUpToDate = !stale.has('train');
    const cachedFrom = view.stages.find((stage) => stage.name === 'train')?.cached;
    try {
      if (stale.has('validate')) await this.step(['validate'], () => dataset.check(), () => dataset.error);
      if (stale.has('preprocess') && !pretrained) await this.step(['preprocess'], () => dataset.check(training.formResult.params.imageSize), () => dataset.error);
      if (stale.has('train') || stale.has('evaluate')) {
        const stages: StageName[] = [...(pretrained && stale.has('preprocess') ? ['preprocess' as const] : []), 'train', 'evaluate'];
        // Features are computed in the training run; an up-to-date train whose evaluation is missing trains anyway.
        await this.step(stages, () => training.train(trainUpToDate), () => training.error ?? (training.phase === 'stopped' ? 'Stopped.' : null));
      }
      const ran = [...this.runs].filter(([, run]) => run === 'done').map(([name]) => name);
      this.result = `Reproduced: ${ran.join(', ')} ran${training.cacheHit && cachedFrom ? ` (train from the run-cache: ${training.cacheHit.label})` : ''}; ${countOf(view.stages.length - ran.length, 'stage')} up to date.`;
    } catch (error) {
      this.error = `Reproduce stopped: ${(error as Error).message}`;
    } finally {
      this.reproducing = false;
      await this.load();
    }
  }

  /** Runs one job for `stages` (marked running, then done); its error, if any, fails them and stops Reproduce. */
  private async step(stages: StageName[], run: () => Promise<void>, errorOf: () => string | null): Promise<void> {
    for (const stage of stages) this.runs.set(stage, 'running');
    await run();
    const error = errorOf();
    for (const stage of stages) this.runs.set(stage, error ? 'failed' : 'done');
    if (error) throw new Error(`${stages.join(', ')}: ${error}`);
  }
}
