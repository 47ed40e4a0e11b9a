import type { BackendChoice } from '../runs/choose-backend';
import type { TrainParams } from '../train/params';

/**
 * Where a queued experiment stands. `interrupted`: it was running when the tab
 * running the queue closed or reloaded; it is kept, never dropped, and can be
 * queued again.
 */
export type ExperimentStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled' | 'interrupted';

export const EXPERIMENT_STATUSES: readonly ExperimentStatus[] = ['queued', 'running', 'done', 'failed', 'cancelled', 'interrupted'];

/** The states an experiment ends in: no tab will run it again unless it is queued anew. */
export const FINISHED_STATUSES: readonly ExperimentStatus[] = ['done', 'failed', 'cancelled', 'interrupted'];

/**
 * One experiment (`dvc exp run --queue`): what to train, on which data set,
 * and how it went. Stored in the store's `experiments` records (mutable: the
 * status moves on), its result a version object kept by the ref
 * `experiments/<id>`, as a training run's is kept by `workspace-run`.
 */
export interface ExperimentRecord {
  /** Random, 16 hex digits; the result version records it as `run.experiment.id`. */
  id: string;
  /** What the page calls it, DVC-style: "exp-3f9a1". Unique among stored experiments. */
  name: string;
  /** Queue order: runs go in ascending order. */
  order: number;
  /** ISO 8601. */
  queuedAt: string;
  /** The runs queued together (one grid) share this id. */
  batch: string;
  params: TrainParams;
  backend: BackendChoice;
  /** The workspace data set when it was queued: the run trains on it, whatever the workspace holds by then. */
  datasetId: string;
  /** HEAD when it was queued (DVC's baseline commit); the result's parent. */
  baseline: string | null;
  /** The code that trains it (Pawprint's version); part of the run-cache key. */
  appVersion: string;
  status: ExperimentStatus;
  startedAt?: string;
  endedAt?: string;
  /** The tab that ran it (random per tab), so two runs can be told apart by who ran them. */
  runner?: string;
  /** Done: the result version (kept by `experiments/<id>`). */
  result?: string;
  /** Done without training: the inputs matched a stored run (the run-cache), named here. */
  cached?: { versionId: string; label: string };
  /** Failed, cancelled or interrupted: why, in a sentence. */
  reason?: string;
}

/** What the result version of an experiment records about it (`Version.run.experiment`). */
export interface ExperimentOrigin {
  id: string;
  name: string;
}

/** The experiment a version's run came from, or null (trained with Train, imported, data only). */
export function experimentOf(run: Readonly<Record<string, unknown>> | null): ExperimentOrigin | null {
  const origin = run?.['experiment'];
  if (typeof origin !== 'object' || origin === null) return null;
  const { id, name } = origin as Record<string, unknown>;
  return typeof id === 'string' && typeof name === 'string' ? { id, name } : null;
}

/** The queue settings an experiment is made from: everything but its identity and state. */
export type ExperimentRequest = Pick<ExperimentRecord, 'params' | 'backend' | 'datasetId' | 'baseline' | 'appVersion'>;

export function isExperimentRecord(value: unknown): value is ExperimentRecord {
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  return (
    typeof record['id'] === 'string' &&
    typeof record['name'] === 'string' &&
    typeof record['order'] === 'number' &&
    typeof record['datasetId'] === 'string' &&
    typeof record['params'] === 'object' &&
    record['params'] !== null &&
    (EXPERIMENT_STATUSES as readonly unknown[]).includes(record['status'])
  );
}
