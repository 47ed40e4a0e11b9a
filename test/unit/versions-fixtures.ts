// The DVC tutorial in miniature for the versions tests: tiny distinct blobs
// stand in for images, and a fake training run (a model record whose weights
// blob is a few bytes) stands in for tfjs.
import { afterEach } from 'vitest';
import { mergeEntries } from '../../src/core/dataset/edit';
import { editWorkspace, readWorkspace } from '../../src/core/dataset/workspace';
import { utf8Bytes } from '../../src/core/hash';
import { objectId, type DatasetEntry, type ModelRecord, type Split, type Version } from '../../src/core/objects';
import { RUN_REF } from '../../src/core/runs/run-ref';
import { openStore, type Store } from '../../src/core/store';

const openStores: Store[] = [];

afterEach(() => {
  openStores.splice(0).forEach((store) => store.close());
});

export async function freshStore(): Promise<Store> {
  const store = await openStore({ name: crypto.randomUUID() });
  openStores.push(store);
  return store;
}

export const APP_VERSION = '0.1.0';

export const PARAMS = {
  architecture: 'reference-convnet',
  imageSize: 64,
  epochs: 2,
  batchSize: 32,
  learningRate: 0.001,
  seed: 42,
  augment: { flip: false, shift: false },
  holdout: 0.2,
};

/** Bytes of the fake image at `path`: a few dozen, distinct per path. */
const imageBytes = (path: string) => utf8Bytes(`image ${path}`);

/** Stores `count` images `<split>/<label>/<label>.<n>.jpg` (n from `first`) and returns their entries. */
export async function storeImages(store: Store, split: Split | null, label: string, count: number, first = 0): Promise<DatasetEntry[]> {
  const paths = Array.from({ length: count }, (_, i) => `${split === null ? '' : `${split}/`}${label}/${label}.${first + i}.jpg`);
  const { records } = await store.putBlobs(paths.map(imageBytes));
  return records.map(({ sha256, md5, size }, i) => ({ path: paths[i]!, sha256, md5, size, split, label }));
}

/** Adds files to the workspace as an ingest does. Returns the new workspace data set id. */
export async function ingest(store: Store, ...groups: DatasetEntry[][]): Promise<string> {
  return (await editWorkspace(store, (entries) => mergeEntries(entries, groups.flat()), 'data')).id;
}

/** The tutorial's data.zip, scaled by `scale` (1: 1 000 train + 800 validation images). */
export async function ingestDataZip(store: Store, scale = 1): Promise<string> {
  return ingest(
    store,
    await storeImages(store, 'train', 'cats', 500 * scale),
    await storeImages(store, 'train', 'dogs', 500 * scale),
    await storeImages(store, 'validation', 'cats', 400 * scale),
    await storeImages(store, 'validation', 'dogs', 400 * scale),
  );
}

/** The tutorial's new-labels.zip: 500 more cats and 500 more dogs under train (scaled). */
export async function ingestNewLabels(store: Store, scale = 1): Promise<string> {
  return ingest(
    store,
    await storeImages(store, 'train', 'cats', 500 * scale, 500 * scale),
    await storeImages(store, 'train', 'dogs', 500 * scale, 500 * scale),
  );
}

export interface FakeRunOptions {
  params?: Record<string, unknown>;
  appVersion?: string;
  valAccuracy?: number;
  /** Weights bytes; by default distinct per run. */
  weights?: string;
}

let runCounter = 0;

/**
 * What saveRun stores after training on the workspace: a weights blob, a
 * model record and a version with message '' under `workspace-run`.
 */
export async function fakeTrain(store: Store, options: FakeRunOptions = {}): Promise<{ runId: string; modelId: string; weightsSize: number }> {
  const { id: datasetId } = await readWorkspace(store);
  if (datasetId === null) throw new Error('fakeTrain needs a workspace');
  const { record } = await store.putBlob(utf8Bytes(options.weights ?? `weights of run ${++runCounter} ${crypto.randomUUID()}`));
  const model: ModelRecord = {
    kind: 'model',
    schema: 1,
    architecture: 'reference-convnet',
    inputShape: [64, 64, 3],
    classNames: ['cats', 'dogs'],
    modelTopology: { class_name: 'Sequential' },
    weightSpecs: [],
    weights: record.sha256,
    weightsSize: record.size,
  };
  const modelId = await objectId(model);
  const valAccuracy = options.valAccuracy ?? 0.75;
  const history = [
    { epoch: 0, accuracy: 0.6, loss: 0.69, val_accuracy: valAccuracy - 0.05, val_loss: 0.68 },
    { epoch: 1, accuracy: 0.7, loss: 0.6, val_accuracy: valAccuracy, val_loss: 0.61 },
  ];
  const { epoch: _epoch, ...metrics } = history.at(-1)!;
  const run: Version = {
    kind: 'version',
    schema: 1,
    parent: (await store.getRef('HEAD')) ?? null,
    dataset: datasetId,
    model: modelId,
    params: structuredClone(options.params ?? PARAMS),
    metrics,
    history,
    message: '',
    createdAt: new Date().toISOString(),
    run: {
      backend: 'cpu',
      adapter: '',
      appVersion: options.appVersion ?? APP_VERSION,
      seed: 42,
      durationMs: 1000,
      imagesPerSecond: 100,
      stopped: false,
      heldOut: false,
      classNames: ['cats', 'dogs'],
      evaluation: { confusion: [[300, 100], [80, 320]], perClass: [], accuracy: valAccuracy, worst: [] },
      deterministic: true,
    },
  };
  const [, runId] = await store.commit({ objects: [model, run], refs: new Map([[RUN_REF, await objectId(run)]]) });
  return { runId: runId!, modelId, weightsSize: record.size };
}

/** All refs as name → target, to compare before and after an operation. */
export async function refSnapshot(store: Store): Promise<Record<string, string>> {
  return Object.fromEntries((await store.listRefs()).map(({ name, target }) => [name, target]));
}

/** A date `minutes` after a fixed start, so timeline order does not depend on the clock. */
export const at = (minutes: number) => new Date(Date.UTC(2026, 0, 1, 12, minutes));
