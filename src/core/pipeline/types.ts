import type { DvcDirInfo } from '../objects/types';
import type { TrainParams } from '../train/params';
import type { CachedRun } from '../versions/run-cache';
import type { FileChanges } from '../versions/file-changes';

/** The stages a version goes through, in order (a chain: each depends on the one before). */
export type StageName = 'import' | 'validate' | 'preprocess' | 'train' | 'evaluate';

export const STAGE_NAMES: readonly StageName[] = ['import', 'validate', 'preprocess', 'train', 'evaluate'];

/** A dep or out of a stage, as dvc.lock names it: a path and, once it exists, its hash and size. */
export interface Artifact {
  path: string;
  /** md5 (`<md5>.dir` for a folder), or the store's id of a derived artifact; null when it does not exist yet. */
  hash: string | null;
  size: number | null;
  nfiles?: number;
}

/** `dvc status` of one stage. */
export type StageState = 'up-to-date' | 'changed' | 'not-run';

export interface StageView {
  name: StageName;
  /** What runs it in the page, e.g. "Add to data set", "Train". */
  command: string;
  deps: Artifact[];
  outs: Artifact[];
  state: StageState;
  /** "up to date", "changed: data (+1 000 files)", "changed: params (epochs 10 → 5)", "not run". */
  status: string;
  /** A stale train whose inputs a stored run matches: Reproduce takes its model instead of training. */
  cached?: string;
}

/** What the pipeline's status is computed from: read from the store (readPipelineFacts), then judged (pipelineStatus). */
export interface PipelineFacts {
  /** The workspace data set (`data/`). */
  workspace: { id: string; dvc: DvcDirInfo } | null;
  /** The validation report's data set (the last check), null before any. */
  checkedDatasetId: string | null;
  /** The parameters the next run would use (the Training form's). */
  params: TrainParams;
  appVersion: string;
  /** Image sizes whose pixel cache exists for the workspace data set, with its bytes. */
  pixelCaches: { size: number; bytes: number }[];
  /** The last run (`workspace-run`), as `dvc.lock` would record it. */
  run: {
    datasetId: string;
    params: Record<string, unknown>;
    appVersion: string | null;
    imported: boolean;
    model: { weightsMd5: string | null; weightsSize: number } | null;
    hasEvaluation: boolean;
  } | null;
  /** The last run's data set against the workspace's (null without a run, or when they are one). */
  dataChanges: FileChanges | null;
  /** The run-cache's answer for the workspace with these params. */
  cached: CachedRun | null;
}

export interface PipelineView {
  stages: StageView[];
  /** The stages Reproduce runs, in order. */
  stale: StageName[];
}
