import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { createHash } from 'node:crypto';
import { exportModelFiles } from '../../src/core/exchange/model-files';
import { joinedModel } from '../../src/core/exchange/joined-model';
import { MemoryRemote, pull, push } from '../../src/core/remote';
import { readWorkspace } from '../../src/core/dataset/workspace';
import { commitVersion } from '../../src/core/versions/commit-version';
import { readBackbone, storeBackbone } from '../../src/core/features/backbones';
import { EXTRACT_BATCH } from '../../src/core/features/extract-features';
import { loadExtractor } from '../../src/core/features/extractor';
import { featureSetId } from '../../src/core/features/feature-set';
import { buildFeatureHead } from '../../src/core/features/head';
import { loadFeatureData } from '../../src/core/runs/feature-data';
import { saveRun } from '../../src/core/runs/save-run';
import type { FeatureSource } from '../../src/core/objects/types';
import { openStore, type Store } from '../../src/core/store';
import { DEFAULT_PARAMS, type TrainParams } from '../../src/core/train/params';
import { snapshotModel } from '../../src/core/train/snapshot';
import { trainModel } from '../../src/core/train/train';
import { SIZE, decode, pictures, tinyBackbone, workspaceOf } from './features-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const fresh = () => openStore({ name: crypto.randomUUID() });

/** What the train worker stores for a head trained on `features` (one epoch, made-up metrics). */
function saveHead(store: Store, head: tf.LayersModel, datasetId: string, params: TrainParams, features: FeatureSource) {
  return saveRun(store, {
    model: head,
    datasetId,
    parent: null,
    params,
    history: [{ epoch: 0, accuracy: 1, loss: 0.1, val_accuracy: 1, val_loss: 0.1 }],
    run: { backend: 'cpu', adapter: 'cpu', appVersion: '0', seed: 42, durationMs: 1, imagesPerSecond: 1, stopped: false, heldOut: false, classNames: ['a', 'b'], evaluation: { confusion: [], perClass: [], accuracy: 1, worst: [] }, deterministic: true },
    features,
  });
}

async function setUp(store: Store, inputRange?: [number, number], layer = 'block') {
  const files = await tinyBackbone(inputRange);
  const { id } = await storeBackbone(store, files);
  const params: TrainParams = { ...DEFAULT_PARAMS, architecture: 'pretrained-features', backbone: id, featureLayer: layer, imageSize: SIZE, epochs: 3, batchSize: 4, learningRate: 0.01 };
  const { record, weights } = await readBackbone(store, id);
  const extractor = await loadExtractor(record, weights, layer);
  return { id, params, extractor, record, weights };
}

describe('the bottleneck feature cache', () => {
  it('computes features once per image: a larger data set computes only its new images', async () => {
    const store = await fresh();
    const { params, extractor } = await setUp(store);
    expect(extractor).toMatchObject({ size: SIZE, dims: 4, pooling: 'average' });
    let asked = 0;
    const loadExtractorOnce = async () => ((asked += 1), extractor);
    await workspaceOf(store, [...pictures('train', 'a', 6), ...pictures('train', 'b', 6), ...pictures('validation', 'a', 2), ...pictures('validation', 'b', 2)]);
    const progress: number[] = [];
    const first = await loadFeatureData(store, params, loadExtractorOnce, decode, { onExtract: ({ done }) => progress.push(done) });
    expect(first).toMatchObject({ extracted: 16, cached: 0, dims: 4 });
    expect(progress.at(-1)).toBe(16);
    expect(first.splits.train).toHaveLength(12);

    const again = await loadFeatureData(store, params, loadExtractorOnce, decode);
    expect(again).toMatchObject({ extracted: 0, cached: 16 });
    expect(asked, 'the backbone is not even loaded when every row is cached').toBe(1);

    await workspaceOf(store, [...pictures('train', 'a', 8), ...pictures('train', 'b', 6), ...pictures('validation', 'a', 2), ...pictures('validation', 'b', 3), { path: 'train/b/broken.png', split: 'train', label: 'b', byte: 0 }]);
    const more = await loadFeatureData(store, params, loadExtractorOnce, decode);
    expect(more).toMatchObject({ extracted: 3, cached: 16 });
    expect(more.splits.train.length + more.splits.validation.length, 'the undecodable image is left out').toBe(19);

    // The rows are what the backbone gives: the mean of the "block" map over its positions.
    const [example] = more.splits.train;
    const row = more.inputs.batch([example!]);
    const stored = (await store.getFeatures(await featureSetId({ backbone: params.backbone!, layer: 'block', size: SIZE }), [example!.sha256])).get(example!.sha256)!;
    expect(Array.from(await row.data())).toEqual(Array.from(stored));
    row.dispose();
  });

  it('keeps the batches finished before a cancel; the next run computes the rest', async () => {
    const store = await fresh();
    const { params, extractor } = await setUp(store);
    const count = EXTRACT_BATCH + 8;
    await workspaceOf(store, [...pictures('train', 'a', count / 2), ...pictures('train', 'b', count / 2), ...pictures('validation', 'a', 1, 80), ...pictures('validation', 'b', 1, 80)]);
    const controller = new AbortController();
    const cancelled = loadFeatureData(store, params, async () => extractor, decode, { signal: controller.signal, onExtract: () => controller.abort() });
    await expect(cancelled).rejects.toThrow();
    const resumed = await loadFeatureData(store, params, async () => extractor, decode);
    expect(resumed).toMatchObject({ cached: EXTRACT_BATCH, extracted: count + 2 - EXTRACT_BATCH });
  });

  it('features that do not fit in the browser’s storage are no failed run: used from memory, said once, computed again next time', async () => {
    const store = await fresh();
    const { params, extractor } = await setUp(store);
    const count = EXTRACT_BATCH + 8;
    await workspaceOf(store, [...pictures('train', 'a', count / 2), ...pictures('train', 'b', count / 2), ...pictures('validation', 'a', 1, 80), ...pictures('validation', 'b', 1, 80)]);
    const put = IDBObjectStore.prototype.put;
    let offered = 0;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'derived' && String(args[1]).startsWith('features/')) {
        offered++;
        throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      }
      return put.apply(this, args);
    });
    let said = 0;
    const data = await loadFeatureData(store, params, async () => extractor, decode, { onNotKept: () => (said += 1) });
    expect(data).toMatchObject({ extracted: count + 2, cached: 0 });
    expect(data.splits.train.length + data.splits.validation.length, 'every image trains').toBe(count + 2);
    expect(said).toBe(1);
    expect(offered, 'only the first batch was offered to a full store').toBeLessThanOrEqual(EXTRACT_BATCH);
    vi.restoreAllMocks();
    expect((await store.featureUsage()).rows).toBe(0);
    expect(await loadFeatureData(store, params, async () => extractor, decode)).toMatchObject({ extracted: count + 2, cached: 0 });
    expect((await store.featureUsage()).rows).toBe(count + 2);
  });

  it('gc drops the rows of images it deletes', async () => {
    const store = await fresh();
    const { params, extractor } = await setUp(store);
    await workspaceOf(store, [...pictures('train', 'a', 2), ...pictures('train', 'b', 2), ...pictures('validation', 'a', 1), ...pictures('validation', 'b', 1)]);
    await loadFeatureData(store, params, async () => extractor, decode);
    expect((await store.featureUsage()).rows).toBe(6);
    await workspaceOf(store, [...pictures('train', 'a', 2), ...pictures('train', 'b', 2)]);
    await store.gc();
    expect(await store.featureUsage()).toEqual({ rows: 4, bytes: 4 * 4 * 4 });
  });

  it('Clean up drops the rows of images nothing reaches and keeps every backbone a ref or a head names; every row goes only with the caches choice', async () => {
    const store = await fresh();
    const { params, extractor, id: imported } = await setUp(store); // kept by its backbones/ ref, as Import backbone leaves it
    const onlyInHead = await storeBackbone(store, await tinyBackbone([-1, 1]));
    await store.deleteRef(`backbones/${onlyInHead.id}`); // kept only because the last run's head names it
    const validation = [...pictures('validation', 'a', 1), ...pictures('validation', 'b', 1)];
    await workspaceOf(store, [...pictures('train', 'a', 3), ...pictures('train', 'b', 3), ...validation]);
    await loadFeatureData(store, params, async () => extractor, decode);
    const { id: datasetId } = await workspaceOf(store, [...pictures('train', 'a', 2), ...pictures('train', 'b', 2), ...validation]); // two images no longer used
    await saveRun(store, {
      model: buildFeatureHead({ dims: extractor.dims, classes: 2, seed: 3 }),
      datasetId: datasetId!,
      parent: null,
      params: { ...params, backbone: onlyInHead.id },
      history: [{ epoch: 0, accuracy: 1, loss: 0.1, val_accuracy: 1, val_loss: 0.1 }],
      run: { backend: 'cpu', adapter: 'cpu', appVersion: '0', seed: 42, durationMs: 1, imagesPerSecond: 1, stopped: false, heldOut: false, classNames: ['a', 'b'], evaluation: { confusion: [], perClass: [], accuracy: 1, worst: [] }, deterministic: true },
      features: { backbone: onlyInHead.id, layer: 'block', pooling: 'average' },
    });
    const set = await featureSetId({ backbone: imported, layer: 'block', size: SIZE });
    const kept = (await readWorkspace(store)).dataset!.entries.map((entry) => entry.sha256);
    const rowKeys = async () => (await store.derivedKeys(`features/${set}/`)).sort();

    const found = await store.unreachable();
    expect(found, 'the two unused images, the first data set, their two feature rows').toMatchObject({ blobs: 2, objects: 1, derivedEntries: 2 });
    const cleaned = await store.cleanUp();
    expect(cleaned).toMatchObject({ blobsDeleted: 2, objectsDeleted: 1, derivedDeleted: 2 });
    expect(await rowKeys()).toEqual(kept.map((sha) => `features/${set}/${sha}`).sort());
    expect(await store.unreachable()).toMatchObject({ bytes: 0, blobs: 0, objects: 0, derivedEntries: 0 });
    for (const backbone of [imported, onlyInHead.id]) expect((await readBackbone(store, backbone)).weights.byteLength, 'a backbone and its weights survive Clean up').toBeGreaterThan(0);

    const dropped = await store.cleanUp({ dropCaches: true });
    expect(dropped).toMatchObject({ blobsDeleted: 0, objectsDeleted: 0 });
    expect(await store.featureUsage()).toEqual({ rows: 0, bytes: 0 });
    for (const backbone of [imported, onlyInHead.id]) expect(await store.hasObject(backbone)).toBe(true);
    expect(await loadFeatureData(store, params, async () => extractor, decode), 'dropped rows are computed again when needed').toMatchObject({ extracted: 6, cached: 0 });
    expect((await store.verify()).ok).toBe(true);
  });
});

describe('a head on pretrained features', () => {
  for (const [inputRange, layer] of [[[0, 1], 'block'], [[-1, 1], 'block'], [[0, 1], 'r1+block']] as [[number, number], string][]) {
    it(`joins with its backbone into one Layers model that tfjs runs end to end (backbone input ${JSON.stringify(inputRange)}, feature layer ${layer})`, async () => {
      const store = await fresh();
      const { params, extractor, record, weights, id } = await setUp(store, inputRange, layer);
      await workspaceOf(store, [...pictures('train', 'a', 6), ...pictures('train', 'b', 6), ...pictures('validation', 'a', 2), ...pictures('validation', 'b', 2)]);
      const data = await loadFeatureData(store, params, async () => extractor, decode);
      const head = buildFeatureHead({ dims: data.dims, classes: 2, seed: 3 });
      await trainModel({ model: head, inputs: data.inputs, train: data.splits.train, validation: data.splits.validation, classes: 2, params, signal: new AbortController().signal });
      const snapshot = await snapshotModel(head, { architecture: 'pretrained-features', classNames: ['a', 'b'] });
      const headRecord = { ...snapshot.record, weights: '0'.repeat(64), features: { backbone: id, layer, pooling: extractor.pooling } };
      const joined = joinedModel(record, weights, headRecord, snapshot.weights);

      const model = await tf.loadLayersModel(tf.io.fromMemory({ modelTopology: joined.modelTopology, weightSpecs: joined.weightSpecs as tf.io.WeightsManifestEntry[], weightData: joined.weights.slice().buffer }));
      expect(model.layers.map((layer) => layer.name)).not.toContain('tail_dense');
      const images = tf.randomUniform([3, SIZE, SIZE, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      const direct = tf.tidy(() => head.predict(extractor.features(images)) as tf.Tensor);
      const end = model.predict(images) as tf.Tensor;
      const [a, b] = [Array.from(await direct.data()), Array.from(await end.data())];
      a.forEach((value, i) => expect(b[i]).toBeCloseTo(value, 5));
      tf.dispose([images, direct, end]);
      model.dispose();
      head.dispose();
      extractor.dispose();
    });
  }

  it('runs at an image size other than the backbone’s own: the features, the joined model and its files take that size', async () => {
    const store = await fresh();
    const { params: own, record, weights, id } = await setUp(store);
    const size = SIZE + 4;
    const params = { ...own, imageSize: size };
    const extractor = await loadExtractor(record, weights, 'block', size);
    expect(extractor).toMatchObject({ size, dims: 4, pooling: 'average' });
    const { id: datasetId } = await workspaceOf(store, [...pictures('train', 'a', 4), ...pictures('train', 'b', 4), ...pictures('validation', 'a', 2), ...pictures('validation', 'b', 2)]);
    const data = await loadFeatureData(store, params, async () => extractor, decode);
    const shas = (await readWorkspace(store)).dataset!.entries.map((entry) => entry.sha256);
    expect((await store.getFeatures(await featureSetId({ backbone: id, layer: 'block', size }), shas)).size, 'the rows are kept under their own size').toBe(shas.length);
    expect((await store.getFeatures(await featureSetId({ backbone: id, layer: 'block', size: SIZE }), shas)).size).toBe(0);
    const head = buildFeatureHead({ dims: data.dims, classes: 2, seed: 3 });
    const features = { backbone: id, layer: 'block', pooling: extractor.pooling, size };
    const saved = await saveHead(store, head, datasetId!, params, features);
    expect(await store.getObject(saved.modelId)).toMatchObject({ features });
    const { id: versionId } = await commitVersion(store, { message: 'Head at another size' });
    const files = await exportModelFiles(store, versionId);
    expect(JSON.parse(files['metadata.json'])).toMatchObject({ imageSize: size, inputShape: [size, size, 3] });
    const model = await tf.loadLayersModel(tf.io.fromMemory({ ...(JSON.parse(files['model.json']) as tf.io.ModelArtifacts), weightSpecs: (JSON.parse(files['model.json']) as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }).weightsManifest.flatMap((group) => group.weights), weightData: files['weights.bin'].slice().buffer }));
    expect(model.inputs[0]!.shape).toEqual([null, size, size, 3]);
    const images = tf.randomUniform([2, size, size, 3], 0, 1, 'float32', 7) as tf.Tensor4D;
    const direct = tf.tidy(() => head.predict(extractor.features(images)) as tf.Tensor);
    const end = model.predict(images) as tf.Tensor;
    const [a, b] = [Array.from(await direct.data()), Array.from(await end.data())];
    a.forEach((value, i) => expect(b[i]).toBeCloseTo(value, 5));
    tf.dispose([images, direct, end]);
    [model, head, extractor].forEach((disposable) => disposable.dispose());
  });

  it('is saved with the backbone layer it reads, which keeps the backbone alive', async () => {
    const store = await fresh();
    const { params, extractor, id } = await setUp(store);
    const { id: datasetId } = await workspaceOf(store, [...pictures('train', 'a', 2), ...pictures('train', 'b', 2), ...pictures('validation', 'a', 1), ...pictures('validation', 'b', 1)]);
    const head = buildFeatureHead({ dims: extractor.dims, classes: 2, seed: 3 });
    await store.deleteRef(`backbones/${id}`);
    const saved = await saveHead(store, head, datasetId!, params, { backbone: id, layer: 'block', pooling: 'average' });
    const model = await store.getObject(saved.modelId);
    expect(model).toMatchObject({ architecture: 'pretrained-features', features: { backbone: id, layer: 'block', pooling: 'average' } });
    await store.gc();
    expect(await store.hasObject(id), 'the backbone survives gc through the head').toBe(true);
  });

  it('travels with its version: push carries the backbone, pull stores it, and the model downloads joined there', async () => {
    const store = await fresh();
    const { params, extractor, id, record } = await setUp(store);
    const { id: datasetId } = await workspaceOf(store, [...pictures('train', 'a', 2), ...pictures('train', 'b', 2), ...pictures('validation', 'a', 1), ...pictures('validation', 'b', 1)]);
    const head = buildFeatureHead({ dims: extractor.dims, classes: 2, seed: 3 });
    await saveHead(store, head, datasetId!, params, { backbone: id, layer: 'block', pooling: 'average' });
    const { id: versionId } = await commitVersion(store, { message: 'Head on tiny features', tag: 'v1.0' });
    const remote = new MemoryRemote('memory');
    await push(store, remote);

    const other = await fresh();
    await pull(other, remote);
    expect(await other.getObject(id)).toMatchObject({ pretrained: record.pretrained });
    expect(await other.getRef(`backbones/${id}`)).toBe(id);
    const files = await exportModelFiles(other, versionId);
    const json = JSON.parse(files['model.json']) as { modelTopology: { model_config: { config: { layers: { name: string }[] } } } };
    expect(json.modelTopology.model_config.config.layers.map((layer) => layer.name)).toEqual(['image', 'c1', 'r1', 'c2', 'block', 'head_pool', 'head_dense', 'head_dropout', 'head_output']);
    expect(JSON.parse(files['metadata.json'])).toMatchObject({ imageSize: SIZE, inputShape: [SIZE, SIZE, 3], architecture: 'pretrained-features' });
    // The remote's model/ folder holds the same joined files as "Download model".
    expect(remote.files.has(`files/md5/${md5(files['weights.bin']).slice(0, 2)}/${md5(files['weights.bin']).slice(2)}`)).toBe(true);
  });
});

describe('image sizes', () => {
  /** A one-output Keras backbone of `build`'s layers, as it would be stored. */
  async function backboneOf(name: string, layer: string, build: (input: tf.SymbolicTensor) => tf.SymbolicTensor) {
    const input = tf.input({ shape: [SIZE, SIZE, 3], name: 'image' });
    const built = tf.model({ inputs: input, outputs: build(input) });
    let saved: tf.io.ModelArtifacts | undefined;
    await built.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    built.dispose();
    const record = {
      inputShape: [SIZE, SIZE, 3],
      modelTopology: saved!.modelTopology,
      weightSpecs: saved!.weightSpecs!,
      pretrained: { name, format: 'layers-model' as const, inputRange: [0, 1] as [number, number], layer },
    };
    return { record, weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(saved!.weightData!)) };
  }

  it('a backbone with layers the inference plan does not know runs only at its own size; other sizes are refused, nothing left loaded', async () => {
    const { record, weights } = await backboneOf('Normalised', 'norm', (input) => {
      const conv = tf.layers.conv2d({ name: 'c1', filters: 2, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
      return tf.layers.layerNormalization({ name: 'norm' }).apply(conv) as tf.SymbolicTensor;
    });
    const own = await loadExtractor(record, weights, 'norm');
    expect(own).toMatchObject({ size: SIZE, dims: 2 });
    own.dispose();
    const before = tf.memory().numTensors;
    await expect(loadExtractor(record, weights, 'norm', SIZE * 2)).rejects.toThrow(
      `The backbone “Normalised” has layers Pawprint runs only through tfjs-layers, so it runs only at its own input size: set Image size to ${SIZE}.`,
    );
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a size too small for the backbone’s layers is refused with a message, nothing left loaded', async () => {
    const { record, weights } = await backboneOf('Valid', 'valid', (input) => tf.layers.conv2d({ name: 'valid', filters: 2, kernelSize: 5, padding: 'valid' }).apply(input) as tf.SymbolicTensor);
    const before = tf.memory().numTensors;
    await expect(loadExtractor(record, weights, 'valid', 3)).rejects.toThrow('The backbone cannot take 3×3 images (its feature layer gives no values at that size): choose another Image size.');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('a feature layer that names several layers', () => {
  it('puts each layer’s averaged map side by side, in the order named', async () => {
    const store = await fresh();
    const { extractor: both, record, weights } = await setUp(store, undefined, 'r1+block');
    expect(both).toMatchObject({ size: SIZE, dims: 8, pooling: 'average' });
    const [r1, block] = await Promise.all(['r1', 'block'].map((layer) => loadExtractor(record, weights, layer)));
    const images = tf.randomUniform([2, SIZE, SIZE, 3], 0, 1, 'float32', 9) as tf.Tensor4D;
    const expected = tf.tidy(() => tf.concat([r1!.features(images), block!.features(images)], 1));
    const actual = both.features(images);
    expect(actual.shape).toEqual([2, 8]);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0]!)).toBeLessThan(1e-6);
    tf.dispose([images, expected, actual]);
    [both, r1!, block!].forEach((extractor) => extractor.dispose());
  });

  it('is refused when a part is missing, a part is named twice, or a map is put beside a vector', async () => {
    const store = await fresh();
    const { extractor, record, weights } = await setUp(store);
    extractor.dispose();
    const before = tf.memory().numTensors;
    await expect(loadExtractor(record, weights, 'r1+nope')).rejects.toThrow('The backbone has no layer named “nope”.');
    await expect(loadExtractor(record, weights, 'r1+r1')).rejects.toThrow('names a layer twice');
    await expect(loadExtractor(record, weights, 'block+tail_dense')).rejects.toThrow('different kinds (a map and a vector)');
    expect(tf.memory().numTensors, 'a refused layer frees the loaded backbone').toBe(before);
  });
});
