// "Import backbone": a tfjs image model's files checked before anything is stored, as Import
// model's are; a good one is stored content-addressed under its backbones/ ref.
import * as tf from '@tensorflow/tfjs';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadExtractor } from '../../src/core/features/extractor';
import { importBackbone, readBackbone } from '../../src/core/features/import-backbone';
import { openStore } from '../../src/core/store';
import { SIZE, tinyBackbone } from './features-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterEach(() => {
  vi.restoreAllMocks();
});

const utf8 = (text: string) => new TextEncoder().encode(text);

/** The tiny backbone as the files a tfjs save gives: model.json and its weights in two shards. */
async function files(): Promise<Map<string, Uint8Array>> {
  const { record, weights } = await tinyBackbone();
  const half = Math.floor(weights.byteLength / 2);
  const modelJson = { format: 'layers-model', modelTopology: record.modelTopology, weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: record.weightSpecs }] };
  return new Map([
    ['model.json', utf8(JSON.stringify(modelJson))],
    ['group1-shard1of2.bin', weights.slice(0, half)],
    ['group1-shard2of2.bin', weights.slice(half)],
  ]);
}

function edited(base: Map<string, Uint8Array>, change: (json: Record<string, any>) => void): Map<string, Uint8Array> {
  const json = JSON.parse(new TextDecoder().decode(base.get('model.json')));
  change(json);
  return new Map([...base, ['model.json', utf8(JSON.stringify(json))]]);
}

describe('Import backbone', () => {
  it('takes model.json with its weight shards: square RGB input, the layer before the output as features', async () => {
    const backbone = await readBackbone(await files(), [-1, 1]);
    expect(backbone.record).toMatchObject({ architecture: 'backbone', inputShape: [SIZE, SIZE, 3], pretrained: { name: 'tiny (imported)', format: 'layers-model', inputRange: [-1, 1], layer: 'tail_pool' } });
    const store = await openStore({ name: crypto.randomUUID() });
    const stored = await importBackbone(store, await files(), [0, 1]);
    expect(await store.getRef(`backbones/${stored.id}`)).toBe(stored.id);
    expect(await importBackbone(store, await files(), [0, 1])).toEqual(stored);
  });

  const refusals: [string, () => Promise<Map<string, Uint8Array>>, RegExp][] = [
    ['model.json that is not JSON', async () => new Map([...(await files()), ['model.json', utf8('{ not json')]]), /^model\.json is not valid JSON/],
    ['another format', async () => edited(await files(), (json) => (json['format'] = 'keras-h5')), /has format “keras-h5”: a backbone is a TensorFlow\.js Layers or Graph model/],
    ['a weight file missing', async () => new Map([...(await files())].filter(([name]) => name !== 'group1-shard2of2.bin')), /^Missing group1-shard2of2\.bin: pick every weight file/],
    ['a file the manifest does not name', async () => new Map([...(await files()), ['notes.bin', new Uint8Array(4)]]), /^notes\.bin is not named by model\.json’s weightsManifest/],
    ['a truncated weight file', async () => {
      const base = await files();
      return new Map([...base, ['group1-shard2of2.bin', base.get('group1-shard2of2.bin')!.slice(8)]]);
    }, /^The weight files hold \d+ bytes, but model\.json describes \d+/],
    ['a topology tfjs cannot build', async () => edited(await files(), (json) => (json['modelTopology']['config']['layers'][1]['class_name'] = 'NoSuchLayer')), /^TensorFlow\.js cannot build the model in model\.json/],
    ['two model files', async () => new Map([...(await files()), ['other.json', utf8('{}')]]), /could both be the model/],
  ];
  for (const [what, make, message] of refusals) {
    it(`refuses ${what}, storing nothing`, async () => {
      const store = await openStore({ name: crypto.randomUUID() });
      const before = await store.usage();
      await expect(importBackbone(store, await make(), [0, 1])).rejects.toThrow(message);
      expect(await store.usage()).toEqual(before);
      expect(await store.listRefs('backbones/')).toEqual([]);
    });
  }

  it('a backbone whose record does not fit (quota) is not kept: its weights are taken back', async () => {
    const store = await openStore({ name: crypto.randomUUID() });
    const before = await store.usage();
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'objects') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    await expect(importBackbone(store, await files(), [0, 1])).rejects.toThrow(/^The browser ran out of storage space while saving .+ Nothing from this step was saved\./);
    vi.restoreAllMocks();
    expect(await store.usage()).toEqual(before);
    expect(await store.listRefs('backbones/')).toEqual([]);
    expect((await store.unreachable()).bytes).toBe(0);
  });

  it('refuses a model that does not take images', async () => {
    const model = tf.sequential({ name: 'tabular', layers: [tf.layers.dense({ name: 'd1', inputShape: [10], units: 4 }), tf.layers.dense({ name: 'd2', units: 2 })] });
    let saved: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const json = { format: 'layers-model', modelTopology: saved!.modelTopology, weightsManifest: [{ paths: ['w.bin'], weights: saved!.weightSpecs }] };
    const bad = new Map([['model.json', utf8(JSON.stringify(json))], ['w.bin', new Uint8Array(tf.io.CompositeArrayBuffer.join(saved!.weightData!))]]);
    await expect(readBackbone(bad, [0, 1])).rejects.toThrow(/^The model takes \[null,10\]; a backbone takes square RGB images/);
  });
});

/** A tiny TensorFlow graph (as tfjs' converter writes one): image → Conv2D → Relu → Mean → MatMul → Softmax. */
function graphFiles(): Map<string, Uint8Array> {
  const float = { type: 'DT_FLOAT' };
  const shape = (...dims: number[]) => ({ dim: dims.map((size) => ({ size: String(size) })) });
  const constant = (name: string, dtype: string, dims: number[]) => ({ name, op: 'Const', attr: { value: { tensor: { dtype, tensorShape: shape(...dims) } }, dtype: { type: dtype } } });
  const base64 = (text: string) => Buffer.from(text).toString('base64');
  const nodes = [
    { name: 'image', op: 'Placeholder', attr: { dtype: float, shape: { shape: shape(-1, SIZE, SIZE, 3) } } },
    constant('kernel', 'DT_FLOAT', [3, 3, 3, 4]),
    { name: 'conv', op: 'Conv2D', input: ['image', 'kernel'], attr: { T: float, strides: { list: { i: ['1', '1', '1', '1'] } }, padding: { s: base64('SAME') }, data_format: { s: base64('NHWC') }, dilations: { list: { i: ['1', '1', '1', '1'] } } } },
    { name: 'relu', op: 'Relu', input: ['conv'], attr: { T: float } },
    constant('axes', 'DT_INT32', [2]),
    { name: 'pooled', op: 'Mean', input: ['relu', 'axes'], attr: { T: float, Tidx: { type: 'DT_INT32' }, keep_dims: { b: false } } },
    constant('dense', 'DT_FLOAT', [4, 2]),
    { name: 'logits', op: 'MatMul', input: ['pooled', 'dense'], attr: { T: float, transpose_a: { b: false }, transpose_b: { b: false } } },
    { name: 'probabilities', op: 'Softmax', input: ['logits'], attr: { T: float } },
  ];
  const kernel = Float32Array.from({ length: 3 * 3 * 3 * 4 }, (_, i) => Math.sin(i) / 3);
  const axes = Int32Array.from([1, 2]);
  const dense = Float32Array.from({ length: 8 }, (_, i) => (i % 3) - 1);
  const weights = new Uint8Array([...new Uint8Array(kernel.buffer), ...new Uint8Array(axes.buffer), ...new Uint8Array(dense.buffer)]);
  const json = {
    format: 'graph-model',
    modelTopology: { node: nodes, versions: { producer: 1 } },
    weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [{ name: 'kernel', shape: [3, 3, 3, 4], dtype: 'float32' }, { name: 'axes', shape: [2], dtype: 'int32' }, { name: 'dense', shape: [4, 2], dtype: 'float32' }] }],
  };
  return new Map([['model.json', utf8(JSON.stringify(json))], ['group1-shard1of1.bin', weights]]);
}

describe('Import backbone: a graph model', () => {
  it('takes a TensorFlow graph: the node before the output gives features, and a map is averaged', async () => {
    const backbone = await readBackbone(graphFiles(), [0, 1]);
    expect(backbone.record).toMatchObject({ inputShape: [SIZE, SIZE, 3], pretrained: { name: 'model (imported)', format: 'graph-model', layer: 'logits' } });
    const map = await loadExtractor({ ...backbone.record }, backbone.weights, 'relu');
    expect(map).toMatchObject({ size: SIZE, dims: 4, pooling: 'average' });
    const images = tf.ones([2, SIZE, SIZE, 3]) as tf.Tensor4D;
    const rows = map.features(images);
    expect(rows.shape).toEqual([2, 4]);
    tf.dispose([images, rows]);
    map.dispose();
    await expect(readBackbone(graphFiles(), [0, 1], 'no_such_node')).rejects.toThrow(/^The layer “no_such_node” gives no features/);
  });

  it('runs only at the input size it was converted with', async () => {
    const backbone = await readBackbone(graphFiles(), [0, 1]);
    const before = tf.memory().numTensors;
    await expect(loadExtractor({ ...backbone.record }, backbone.weights, 'relu', SIZE * 2)).rejects.toThrow(
      `The backbone “model (imported)” is a TensorFlow graph model, which checks the input size it was converted with, so it runs only at its own input size: set Image size to ${SIZE}.`,
    );
    expect(tf.memory().numTensors, 'nothing is loaded for a refused size').toBe(before);
  });
});
