import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportModelFiles, type ModelFiles } from '../../src/core/exchange';
import { importModel } from '../../src/core/exchange/import-model';
import { pickModelFiles } from '../../src/core/exchange/pick-model-files';
import { sha256Hex } from '../../src/core/hash/sha256';
import type { ModelRecord } from '../../src/core/objects/types';
import { importedRunOf } from '../../src/core/runs/imported-run';
import { RUN_REF } from '../../src/core/runs/run-ref';
import { openStore, type Store } from '../../src/core/store';
import { loadSnapshot } from '../../src/core/train/snapshot';
import { commitVersion } from '../../src/core/versions/commit-version';
import { findCachedRun } from '../../src/core/versions/run-cache';
import { classImages, commitModelVersion, freshStore, HISTORY, storeWorkspace, TRAIN_PARAMS, tutorialImages } from './exchange-fixtures';

/** "Download model" from a project where a model was trained and committed as v1.0. */
let exported: { files: ModelFiles; versionId: string; modelId: string; stored: tf.LayersModel };

beforeAll(async () => {
  await tf.setBackend('cpu');
  const store = await freshStore();
  const workspace = await storeWorkspace(store, tutorialImages());
  const { versionId } = await commitModelVersion(store, workspace.id, ['cats', 'dogs']);
  const version = await store.getObject(versionId);
  if (version.kind !== 'version' || version.model === null) throw new Error('expected a version with a model');
  const record = (await store.getObject(version.model)) as ModelRecord;
  const stored = await loadSnapshot(record, new Uint8Array(await (await store.getBlob(record.weights)).arrayBuffer()));
  exported = { files: await exportModelFiles(store, versionId), versionId, modelId: version.model, stored };
});

/** Another browser with the same images in its workspace. */
async function sameDataElsewhere(): Promise<{ store: Store; workspaceId: string }> {
  const store = await freshStore();
  const { id } = await storeWorkspace(store, tutorialImages());
  return { store, workspaceId: id };
}

/** Everything a refusal must leave as it was: refs (the last run among them), objects, blob bytes. */
async function snapshot(store: Store): Promise<string> {
  const [refs, objects, usage] = await Promise.all([store.listRefs(), store.listObjects(), store.usage()]);
  return JSON.stringify({ refs, objects: objects.map((object) => object.id).sort(), usage });
}

/** The exported files with one of them changed. */
function changed(change: Partial<ModelFiles>): ModelFiles {
  return { ...exported.files, ...change };
}

function editJson(text: string, edit: (json: Record<string, any>) => void): string {
  const json = JSON.parse(text) as Record<string, any>;
  edit(json);
  return JSON.stringify(json);
}

const editMetadata = (edit: (json: Record<string, any>) => void) => changed({ 'metadata.json': editJson(exported.files['metadata.json'], edit) });
const editModelJson = (edit: (json: Record<string, any>) => void) => changed({ 'model.json': editJson(exported.files['model.json'], edit) });

function predictions(model: tf.LayersModel, input: tf.Tensor): number[] {
  return Array.from((model.predict(input) as tf.Tensor).dataSync());
}

describe('importModel: the round trip', () => {
  it('makes the downloaded model the last run on the workspace, predicting exactly as where it was trained', async () => {
    const { store, workspaceId } = await sameDataElsewhere();
    const imported = await importModel(store, exported.files);

    expect(await store.getRef(RUN_REF)).toBe(imported.runId);
    const version = await store.getObject(imported.runId);
    if (version.kind !== 'version') throw new Error('the run ref should name a version');
    // Same topology, weights and labels: the very model object it was exported from.
    expect(version.model).toBe(exported.modelId);
    expect(version).toMatchObject({ dataset: workspaceId, parent: null, message: '', params: JSON.parse(JSON.stringify(TRAIN_PARAMS)) as object, history: [] });
    const { epoch: _epoch, ...finalMetrics } = HISTORY[0]!;
    expect(version.metrics).toEqual(finalMetrics);
    expect(importedRunOf(version.run)).toEqual({
      imported: true,
      from: exported.versionId,
      message: 'First model, trained with 12 images',
      createdAt: expect.any(String),
      trainedBy: '0.1.0',
      dataset: { id: workspaceId, dvc: expect.objectContaining({ nfiles: 18 }) },
      sameDataset: true,
      classNames: ['cats', 'dogs'],
    });

    const record = (await store.getObject(version.model!)) as ModelRecord;
    const reloaded = await loadSnapshot(record, new Uint8Array(await (await store.getBlob(record.weights)).arrayBuffer()));
    const inputs = [tf.randomUniform([3, 22, 22, 3], 0, 1, 'float32', 5), tf.ones([1, 22, 22, 3])];
    for (const input of inputs) {
      const expected = predictions(exported.stored, input);
      expect(predictions(imported.model, input)).toEqual(expected);
      expect(predictions(reloaded, input)).toEqual(expected);
    }
    expect(imported).toMatchObject({ classNames: ['cats', 'dogs'], imageSize: 22 });
  });

  it('can be committed as a version, and downloads again as the same model.json and weights.bin', async () => {
    const { store } = await sameDataElsewhere();
    await importModel(store, exported.files);
    const { id, version } = await commitVersion(store, { message: 'Imported v1.0' });
    expect(version.model).toBe(exported.modelId);
    const again = await exportModelFiles(store, id);
    expect(JSON.parse(again['model.json'])).toMatchObject({ modelTopology: JSON.parse(exported.files['model.json']).modelTopology });
    expect(again['weights.bin']).toEqual(exported.files['weights.bin']);
  });

  it('is not taken for a training run by the run-cache, whose data set it did not train on', async () => {
    const { store, workspaceId } = await sameDataElsewhere();
    await importModel(store, exported.files);
    expect(await findCachedRun(store, { datasetId: workspaceId, params: TRAIN_PARAMS, appVersion: '0.1.0' })).toBeNull();
  });

  it('accepts a workspace with the same classes but other images, and records that it trained elsewhere', async () => {
    const store = await freshStore();
    await storeWorkspace(store, [...classImages('train', 'cats', [180, 30, 30], 4, 60), ...classImages('train', 'dogs', [30, 30, 180], 4, 60)]);
    const { version } = await importModel(store, exported.files);
    expect(importedRunOf(version.run)?.sameDataset).toBe(false);
  });

  it('writes metadata.json with its schema and the SHA-256 and size of weights.bin', async () => {
    const metadata = JSON.parse(exported.files['metadata.json']) as Record<string, unknown>;
    expect(metadata).toMatchObject({
      format: 'pawprint-model-metadata',
      schema: 1,
      weights: { sha256: await sha256Hex(exported.files['weights.bin']), size: exported.files['weights.bin'].byteLength },
    });
  });
});

describe('importModel: refusals change nothing', () => {
  const cases: [string, () => ModelFiles, string, RegExp][] = [
    ['model.json that is not JSON', () => changed({ 'model.json': '{"format": "layers-model",' }), 'malformed', /^model\.json is not valid JSON/],
    ['metadata.json that is not JSON', () => changed({ 'metadata.json': 'labels: cats, dogs' }), 'malformed', /^metadata\.json is not valid JSON/],
    ['model.json of another format', () => editModelJson((json) => (json['format'] = 'graph-model')), 'wrong-format', /model\.json has format “graph-model”, not “layers-model”/],
    ['model.json without a topology', () => editModelJson((json) => delete json['modelTopology']), 'malformed', /model\.json’s modelTopology should be an object, but is missing/],
    ['model.json whose weights are in two files', () => editModelJson((json) => json['weightsManifest'][0].paths.push('more.bin')), 'wrong-format', /keeps its weights in 2 files/],
    ['metadata.json that is not Pawprint’s', () => editMetadata((json) => delete json['format']), 'wrong-format', /metadata\.json is not Pawprint model metadata/],
    ['metadata.json of an unknown schema version', () => editMetadata((json) => (json['schema'] = 2)), 'unknown-schema', /metadata\.json has schema version 2, which this Pawprint does not know \(it reads version 1\)/],
    ['metadata.json without a schema version', () => editMetadata((json) => delete json['schema']), 'unknown-schema', /schema version none/],
    ['metadata.json with a field of the wrong type', () => editMetadata((json) => (json['imageSize'] = '22')), 'malformed', /metadata\.json’s imageSize should be a whole number ≥ 0, but is "22"/],
    ['weights.bin cut short', () => changed({ 'weights.bin': exported.files['weights.bin'].slice(0, -4) }), 'size-mismatch', /^weights\.bin has [\d ]+ bytes, but model\.json’s weights take [\d ]+: it is cut short/],
    ['metadata.json recording another size', () => editMetadata((json) => (json['weights'].size += 1)), 'size-mismatch', /metadata\.json records weights\.bin as [\d ]+ bytes/],
    ['weights.bin with one byte changed', () => changed({ 'weights.bin': flipped(exported.files['weights.bin'], 100) }), 'hash-mismatch', /^weights\.bin’s SHA-256 is [0-9a-f]{12}…, but metadata\.json records [0-9a-f]{12}…: the file was changed or damaged/],
    ['a topology tfjs cannot build', () => editModelJson((json) => (json['modelTopology'].config.layers[0].class_name = 'NoSuchLayer')), 'does-not-load', /^TensorFlow\.js cannot build a model from model\.json and weights\.bin: .*NoSuchLayer/],
    ['more labels than the model has outputs', () => editMetadata((json) => json['labels'].push('birds')), 'shape-mismatch', /gives outputs of shape \[2\], but metadata\.json names 3 labels \(cats, dogs, birds\)/],
    ['another image size than the model takes', () => editMetadata((json) => ((json['imageSize'] = 28), (json['inputShape'] = [28, 28, 3]))), 'shape-mismatch', /takes inputs of shape \[22, 22, 3\], but metadata\.json describes 28×28 RGB images/],
  ];

  for (const [what, files, code, message] of cases) {
    it(`refuses ${what}`, async () => {
      // A project with a committed model as the last result, which the refusal must leave in place.
      const { store, workspaceId } = await sameDataElsewhere();
      await commitModelVersion(store, workspaceId, ['cats', 'dogs']);
      const before = await snapshot(store);
      await expect(importModel(store, files())).rejects.toMatchObject({ name: 'ModelImportError', code, message: expect.stringMatching(message) });
      expect(await snapshot(store)).toBe(before);
    });
  }

  it('takes the store lock only to save: files refused while checking never take it', async () => {
    const { store: elsewhere } = await sameDataElsewhere();
    let locks = 0;
    const lock = async <T>(work: () => Promise<T>): Promise<T> => {
      locks++;
      return work();
    };
    const store = await openStore({ name: elsewhere.name, lock });
    const damaged = changed({ 'weights.bin': flipped(exported.files['weights.bin'], 100) });
    await expect(importModel(store, damaged)).rejects.toMatchObject({ code: 'hash-mismatch' });
    expect(locks).toBe(0);
    const imported = await importModel(store, exported.files);
    expect(locks).toBe(1);
    expect(await store.getRef(RUN_REF)).toBe(imported.runId);
  });

  it('refuses a model whose labels are not the workspace’s classes', async () => {
    const store = await freshStore();
    await storeWorkspace(store, [...classImages('train', 'cats', [200, 40, 40], 3), ...classImages('train', 'birds', [40, 200, 40], 3)]);
    const before = await snapshot(store);
    await expect(importModel(store, exported.files)).rejects.toMatchObject({
      code: 'label-mismatch',
      message: 'The model’s labels (cats, dogs) are not the workspace’s classes (birds, cats): add the data it was trained on, so that Classify and Commit speak of the same classes.',
    });
    expect(await snapshot(store)).toBe(before);
  });

  it('compares classes name by name: labels whose joined text is the same are still other labels', async () => {
    const store = await freshStore();
    await storeWorkspace(store, [...classImages('train', 'a', [200, 40, 40], 3), ...classImages('train', 'b\nc', [40, 200, 40], 3)]);
    const files = editMetadata((json) => (json['labels'] = ['a\nb', 'c']));
    await expect(importModel(store, files)).rejects.toMatchObject({ code: 'label-mismatch' });
  });

  it('refuses an empty workspace, naming the classes to add', async () => {
    const store = await freshStore();
    await expect(importModel(store, exported.files)).rejects.toMatchObject({ code: 'no-data', message: expect.stringMatching(/add the data the model was trained on \(classes cats, dogs\) first/) });
    expect(await store.listRefs()).toEqual([]);
    expect((await store.usage()).blobs).toBe(0);
  });
});

describe('pickModelFiles', () => {
  const file = (name: string) => ({ name });

  it('tells the three files apart by name, also as a browser renames a second download', () => {
    const picked = pickModelFiles([file('weights.bin'), file('metadata (1).json'), file('model (1).json')]);
    expect(picked).toEqual({ 'model.json': file('model (1).json'), 'weights.bin': file('weights.bin'), 'metadata.json': file('metadata (1).json') });
  });

  it('names a missing file', () => {
    expect(() => pickModelFiles([file('model.json'), file('metadata.json')])).toThrow(
      'Missing weights.bin: pick model.json, weights.bin and metadata.json together, as “Download model” gives them.',
    );
  });

  it('refuses two candidates for one file and a file of another kind', () => {
    expect(() => pickModelFiles([file('model.json'), file('model (1).json'), file('weights.bin'), file('metadata.json')])).toThrow(
      'model.json and model (1).json could both be model.json: pick one of each.',
    );
    expect(() => pickModelFiles([file('model.json'), file('weights.bin'), file('metadata.json'), file('cat.png')])).toThrow(
      'cat.png is not among the files “Download model” gives (model.json, weights.bin, metadata.json).',
    );
  });
});

function flipped(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index]! ^= 0xff;
  return copy;
}
