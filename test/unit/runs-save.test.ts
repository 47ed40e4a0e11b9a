import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { writeWorkspace } from '../../src/core/dataset/workspace';
import type { DatasetEntry } from '../../src/core/objects/types';
import type { DecodeImage } from '../../src/core/preprocess/pixels';
import { RUN_REF } from '../../src/core/runs/run-ref';
import { saveRun, type RunInfo } from '../../src/core/runs/save-run';
import { loadTrainingData, trainingProblems } from '../../src/core/runs/training-data';
import { openStore, QuotaExceededError, type Store } from '../../src/core/store';
import { buildReferenceConvnet } from '../../src/core/train/model';
import { DEFAULT_PARAMS } from '../../src/core/train/params';
import { loadSnapshot } from '../../src/core/train/snapshot';
import { rejection } from './rejection';

const params = { ...DEFAULT_PARAMS, imageSize: 22, epochs: 1, batchSize: 2 };

/** A decoder that paints each image with its first byte; byte 0 means "undecodable". */
const decode: DecodeImage = async (blob, size) => {
  const first = new Uint8Array(await blob.arrayBuffer())[0]!;
  if (first === 0) throw new Error('broken image');
  return { rgba: new Uint8ClampedArray(size * size * 4).fill(first), width: 30, height: 30 };
};

async function workspaceOf(store: Store, images: { path: string; label: string; split: 'train' | 'validation'; byte: number }[]) {
  const entries: DatasetEntry[] = [];
  for (const image of images) {
    const { record } = await store.putBlob(new Uint8Array([image.byte, ...new TextEncoder().encode(image.path)]));
    entries.push({ path: image.path, sha256: record.sha256, md5: record.md5, size: record.size, split: image.split, label: image.label });
  }
  return writeWorkspace(store, entries);
}

const runInfo = (classNames: string[]): RunInfo => ({
  backend: 'cpu',
  adapter: 'cpu',
  appVersion: '0.1.0',
  seed: 42,
  durationMs: 1,
  imagesPerSecond: 1,
  stopped: false,
  heldOut: false,
  classNames,
  evaluation: { confusion: [[1, 0], [0, 1]], perClass: [], accuracy: 1, worst: [] },
  deterministic: true,
});

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  vi.restoreAllMocks();
});

describe('training data and saved runs', () => {
  it('explains why training cannot start', () => {
    expect(trainingProblems(null, params)).toEqual(['Add images first: the data set is empty.']);
  });

  it('loads the workspace split at the training size, leaving undecodable images out', async () => {
    const store = await openStore({ name: crypto.randomUUID() });
    await workspaceOf(store, [
      { path: 'train/a/1.png', label: 'a', split: 'train', byte: 10 },
      { path: 'train/a/2.png', label: 'a', split: 'train', byte: 11 },
      { path: 'train/a/broken.png', label: 'a', split: 'train', byte: 0 },
      { path: 'train/b/1.png', label: 'b', split: 'train', byte: 20 },
      { path: 'train/b/2.png', label: 'b', split: 'train', byte: 21 },
      { path: 'validation/a/3.png', label: 'a', split: 'validation', byte: 12 },
      { path: 'validation/b/3.png', label: 'b', split: 'validation', byte: 22 },
    ]);
    const data = await loadTrainingData(store, params, decode);
    expect(data.classNames).toEqual(['a', 'b']);
    expect(data.splits.train).toHaveLength(4);
    expect(data.splits.validation).toHaveLength(2);
    const examples = [...data.splits.train, ...data.splits.validation];
    expect(examples.every((example) => data.inputs.has(example.sha256))).toBe(true);
    const batch = data.inputs.batch(examples);
    expect(batch.shape).toEqual([6, 22, 22, 3]);
    batch.dispose();
  });

  it('stores the model and the run under the run ref, and the weights load back', async () => {
    const store = await openStore({ name: crypto.randomUUID() });
    const workspace = await workspaceOf(store, [{ path: 'train/a/1.png', label: 'a', split: 'train', byte: 10 }]);
    const model = buildReferenceConvnet({ imageSize: 22, classes: 2, seed: 1 });
    const history = [{ epoch: 0, accuracy: 0.5, loss: 0.7, val_accuracy: 0.5, val_loss: 0.69 }];
    const saved = await saveRun(store, { model, datasetId: workspace.id, parent: null, params, history, run: runInfo(['a', 'b']) });
    expect(await store.getRef(RUN_REF)).toBe(saved.runId);
    expect(saved.version.metrics).toEqual({ accuracy: 0.5, loss: 0.7, val_accuracy: 0.5, val_loss: 0.69 });
    const record = await store.getObject(saved.modelId);
    if (record.kind !== 'model') throw new Error('expected a model');
    expect(record.classNames).toEqual(['a', 'b']);
    const weights = new Uint8Array(await (await store.getBlob(record.weights)).arrayBuffer());
    const loaded = await loadSnapshot(record, weights);
    const input = tf.ones([1, 22, 22, 3]);
    expect(Array.from((loaded.predict(input) as tf.Tensor).dataSync())).toEqual(Array.from((model.predict(input) as tf.Tensor).dataSync()));
    expect((await store.verify()).ok).toBe(true);
  });

  it('a run whose record does not fit is not kept: its weights are taken back, the last run stays, and the message names the step', async () => {
    const store = await openStore({ name: crypto.randomUUID() });
    const workspace = await workspaceOf(store, [{ path: 'train/a/1.png', label: 'a', split: 'train', byte: 10 }]);
    const history = [{ epoch: 0, accuracy: 0.5, loss: 0.7, val_accuracy: 0.5, val_loss: 0.69 }];
    const save = (seed: number) => saveRun(store, { model: buildReferenceConvnet({ imageSize: 22, classes: 2, seed }), datasetId: workspace.id, parent: null, params, history, run: runInfo(['a', 'b']) });
    await save(1);
    const before = { usage: await store.usage(), run: await store.getRef(RUN_REF) };
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'objects') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const error = await rejection(save(2), QuotaExceededError);
    expect(error.message).toBe(
      'The browser ran out of storage space while saving the model’s record, once its weights were stored. Nothing of this model was kept: the last run, the data set and every version are as they were. ' +
        'Free space with Clean up (under Storage) or by deleting versions, or allow this site more storage, then try again.',
    );
    vi.restoreAllMocks();
    expect({ usage: await store.usage(), run: await store.getRef(RUN_REF) }).toEqual(before);
    expect(await store.unreachable()).toMatchObject({ blobs: 0, bytes: 0 });
  });

  it('refuses to save a diverged run and leaves the previous result in place', async () => {
    const store = await openStore({ name: crypto.randomUUID() });
    const workspace = await workspaceOf(store, [{ path: 'train/a/1.png', label: 'a', split: 'train', byte: 10 }]);
    const model = buildReferenceConvnet({ imageSize: 22, classes: 2, seed: 1 });
    const history = [{ epoch: 0, accuracy: 0.5, loss: Number.NaN, val_accuracy: 0.5, val_loss: Number.NaN }];
    await expect(saveRun(store, { model, datasetId: workspace.id, parent: null, params, history, run: runInfo(['a', 'b']) })).rejects.toThrow(/diverged/);
    expect(await store.getRef(RUN_REF)).toBeUndefined();
  });
});
