import type * as tf from '@tensorflow/tfjs';
import { objectId } from '../objects/object-id';
import type { FeatureSource, ModelRecord, Version } from '../objects/types';
import type { ExperimentOrigin } from '../experiments/record';
import { formatBytes } from '../format/bytes';
import { FREE_SPACE, quotaAt, type ExperimentUpdate, type Store } from '../store';
import type { Evaluation } from '../train/evaluate';
import type { TrainParams } from '../train/params';
import { snapshotModel } from '../train/snapshot';
import { RUN_REF } from './run-ref';
import type { HistoryRow } from '../train/types';


/** What produced a model, stored in `Version.run`. */
export interface RunInfo {
  backend: string;
  adapter: string;
  appVersion: string;
  seed: number;
  durationMs: number;
  imagesPerSecond: number;
  /** True when the user stopped early and kept the finished epochs. */
  stopped: boolean;
  /** True when validation images were drawn from train by the seeded hold-out. */
  heldOut: boolean;
  classNames: string[];
  evaluation: Evaluation;
  /** GPU backends do not promise bit-identical results from run to run. */
  deterministic: boolean;
  /** Pretrained features: images whose features this run computed, and those the cache already held. */
  featureCache?: { computed: number; cached: number };
  /** A queued experiment's run: which one (a commit of it keeps this, so Compare can say where a version came from). */
  experiment?: ExperimentOrigin;
}

/** Where a stored run goes: by default the last run (`workspace-run`); an experiment's under its own ref, with its record. */
export interface StoreRunOptions {
  ref?: string;
  /** Experiment records written in the same transaction, given the run's id. */
  experiments?: (runId: string) => ExperimentUpdate;
  /** The parent may be gone (an experiment's baseline deleted while it was queued): history only. */
  allowMissingParents?: boolean;
}

export interface SaveRunInput {
  model: tf.LayersModel;
  datasetId: string;
  parent: string | null;
  params: TrainParams;
  history: HistoryRow[];
  run: RunInfo;
  /** A head on pretrained features: the backbone layer it reads (stored in its model record). */
  features?: FeatureSource;
}

export interface SavedRun {
  runId: string;
  modelId: string;
  version: Version;
}

/** The last epoch's figures, as `dvc metrics show` would list them. */
export function finalMetrics(history: readonly HistoryRow[]): Record<string, number> {
  const last = history.at(-1);
  if (!last) return {};
  const { epoch: _epoch, ...metrics } = last;
  return metrics;
}

/**
 * Stores the model (weights blob first, then the model object and the run
 * version with its ref in one transaction): a failure leaves at most an
 * unreferenced weights blob and never a half-written result.
 */
export async function saveRun(store: Store, input: SaveRunInput, options: StoreRunOptions = {}): Promise<SavedRun> {
  if (input.history.some((row) => Object.values(row).some((value) => !Number.isFinite(value)))) {
    throw new Error('Training diverged: the loss became NaN or infinite, so nothing was saved. Try a lower learning rate.');
  }
  const snapshot = await snapshotModel(input.model, { architecture: input.params.architecture, classNames: input.run.classNames });
  const model = input.features ? { ...snapshot.record, features: { ...input.features } } : snapshot.record;
  return storeRun(store, snapshot.weights, model, {
    kind: 'version',
    schema: 1,
    parent: input.parent,
    dataset: input.datasetId,
    params: { ...input.params, augment: { ...input.params.augment } },
    metrics: finalMetrics(input.history),
    history: input.history.map((row) => ({ ...row })),
    message: '',
    createdAt: new Date().toISOString(),
    run: JSON.parse(JSON.stringify(input.run)) as Record<string, unknown>,
  }, options);
}

/**
 * Stores a model as the last run (or an experiment's result), trained here or
 * imported: the weights blob first, then the model object (naming the blob)
 * and the run version (naming the model) with its ref in one transaction.
 * When that transaction fails, weights this call stored as new are taken back
 * (callers hold the store lock, so nothing else references them yet), and a
 * quota error says which step ran out of space and that nothing was kept.
 */
export async function storeRun(
  store: Store,
  weights: Uint8Array,
  model: Omit<ModelRecord, 'weights' | 'weightsSize'>,
  version: Omit<Version, 'model'>,
  { ref = RUN_REF, experiments, allowMissingParents }: StoreRunOptions = {},
): Promise<SavedRun> {
  const { record: blob, stored } = await store.putBlob(weights, { type: 'application/octet-stream' }).catch((error: unknown) => {
    throw quotaWhile(error, `saving the model’s weights (${formatBytes(weights.byteLength)})`);
  });
  const modelRecord: ModelRecord = { ...model, weights: blob.sha256, weightsSize: blob.size };
  const modelId = await objectId(modelRecord);
  const run: Version = { ...version, model: modelId };
  const runId = await objectId(run);
  try {
    await store.commit({
      objects: [modelRecord, run],
      refs: new Map([[ref, runId]]),
      ...(experiments ? { experiments: experiments(runId) } : {}),
      ...(allowMissingParents ? { allowMissingParents } : {}),
    });
  } catch (error) {
    if (stored) await store.discardBlobs([blob.sha256]);
    throw quotaWhile(error, 'saving the model’s record, once its weights were stored');
  }
  return { runId, modelId, version: run };
}

/** A quota error named for the step of saving a run that failed; any other error as it is. */
function quotaWhile(error: unknown, step: string): unknown {
  return quotaAt(error, `The browser ran out of storage space while ${step}. Nothing of this model was kept: the last run, the data set and every version are as they were. ${FREE_SPACE}`);
}
