// ONNX export checked in ONNX Runtime (onnxruntime-node): the model.onnx of a version gives
// tfjs' probabilities for the same images to 1e-5, for the reference convnet and for a small
// functional model with every other layer type the exporter knows (depthwise and strided
// 'same' convolutions, batch norm, ReLU6, padding, residual Add, global pooling). A layer it
// does not know is refused by name.
import * as tf from '@tensorflow/tfjs';
import onnxProto from 'onnx-proto';
import * as ort from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportModelFiles, readModelSource } from '../../src/core/exchange/model-files';
import { UnsupportedLayerError } from '../../src/core/exchange/model-graph';
import { exportOnnx, modelToOnnx } from '../../src/core/exchange/onnx/export-onnx';
import { snapshotModel } from '../../src/core/train/snapshot';
import { commitModelVersion, freshStore, storeWorkspace, tutorialImages } from './exchange-fixtures';
import { SIZE, pictures, pretrainedVersion } from './features-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Seeded images in [0, 1], NHWC. */
function images(count: number, size: number, seed: number): Float32Array {
  let state = seed;
  return Float32Array.from({ length: count * size * size * 3 }, () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  });
}

async function runOnnx(bytes: Uint8Array, input: Float32Array, shape: number[]): Promise<{ data: Float32Array; dims: readonly number[]; session: ort.InferenceSession }> {
  const session = await ort.InferenceSession.create(bytes);
  const result = await session.run({ image: new ort.Tensor('float32', input, shape) });
  const output = result['probabilities']!;
  return { data: output.data as Float32Array, dims: output.dims, session };
}

function expectClose(actual: Float32Array, expected: Float32Array, tolerance: number): void {
  expect(actual.length).toBe(expected.length);
  const worst = actual.reduce((max, value, i) => Math.max(max, Math.abs(value - expected[i]!)), 0);
  expect(worst).toBeLessThan(tolerance);
}

/** Non-zero biases and batch-norm statistics, so every weight matters. */
function perturb(model: tf.LayersModel, seed: number): void {
  model.layers.forEach((layer, i) => {
    layer.setWeights(layer.getWeights().map((w, j) => tf.tidy(() => w.add(tf.randomUniform(w.shape, 0.05, 0.3, 'float32', seed + i * 10 + j)))));
  });
}

describe('ONNX export', () => {
  it('the reference convnet: ONNX Runtime gives the page model’s probabilities; labels and preprocessing in metadata', async () => {
    const store = await freshStore();
    const { id } = await storeWorkspace(store, tutorialImages());
    const { versionId, model } = await commitModelVersion(store, id, ['cats', 'dogs']);
    const bytes = await exportOnnx(store, versionId);
    const input = images(5, 22, 3);
    const { data, dims, session } = await runOnnx(bytes, input, [5, 22, 22, 3]);
    expect(dims).toEqual([5, 2]);
    const expected = (model.predict(tf.tensor4d(input, [5, 22, 22, 3])) as tf.Tensor).dataSync() as Float32Array;
    expectClose(data, expected, 1e-5);
    expect(session.inputNames).toEqual(['image']);
    expect(session.outputNames).toEqual(['probabilities']);
    const decoded = onnxProto.onnx.ModelProto.decode(bytes);
    expect(decoded.opsetImport.map((opset) => [opset.domain, Number(opset.version)])).toEqual([['', 13]]);
    const metadata = new Map(decoded.metadataProps.map(({ key, value }) => [key, value]));
    expect(JSON.parse(metadata.get('labels')!)).toEqual(['cats', 'dogs']);
    expect(metadata.get('input_layout')).toBe('NHWC');
    expect(metadata.get('preprocessing')).toBe('RGB, [0,1], resized to 22×22 by squashing, transparent pixels over white');
  });

  it('a functional model with rescaling, depthwise, strided same, batch norm, ReLU6, padding, Add and global pooling (MobileNetV2’s layers)', async () => {
    const store = await freshStore();
    const { id } = await storeWorkspace(store, tutorialImages());
    const { versionId } = await commitModelVersion(store, id, ['cats', 'dogs']);
    const source = await readModelSource(store, versionId);

    const input = tf.input({ shape: [16, 16, 3], name: 'pixels' });
    const rescaled = tf.layers.rescaling({ name: 'to_unit_range', scale: 2, offset: -1 }).apply(input) as tf.SymbolicTensor;
    const padded = tf.layers.zeroPadding2d({ name: 'pad', padding: [[0, 1], [0, 1]] }).apply(rescaled) as tf.SymbolicTensor;
    const stem = tf.layers.conv2d({ name: 'stem', filters: 8, kernelSize: 3, strides: 2, padding: 'valid', useBias: false }).apply(padded) as tf.SymbolicTensor;
    const normed = tf.layers.batchNormalization({ name: 'stem_bn', epsilon: 1e-3 }).apply(stem) as tf.SymbolicTensor;
    const act = tf.layers.reLU({ name: 'stem_relu', maxValue: 6 }).apply(normed) as tf.SymbolicTensor;
    const depthwise = tf.layers.depthwiseConv2d({ name: 'dw', kernelSize: 3, padding: 'same', depthMultiplier: 1, useBias: false }).apply(act) as tf.SymbolicTensor;
    const dwNormed = tf.layers.batchNormalization({ name: 'dw_bn' }).apply(depthwise) as tf.SymbolicTensor;
    const project = tf.layers.conv2d({ name: 'project', filters: 8, kernelSize: 1, padding: 'same', activation: 'relu6' }).apply(dwNormed) as tf.SymbolicTensor;
    const residual = tf.layers.add({ name: 'residual' }).apply([act, project]) as tf.SymbolicTensor;
    const strided = tf.layers.conv2d({ name: 'strided', filters: 4, kernelSize: 3, strides: 2, padding: 'same', activation: 'tanh' }).apply(residual) as tf.SymbolicTensor;
    const pooled = tf.layers.averagePooling2d({ name: 'avg', poolSize: 2, strides: 1, padding: 'valid' }).apply(strided) as tf.SymbolicTensor;
    const global = tf.layers.globalAveragePooling2d({ name: 'gap' }).apply(pooled) as tf.SymbolicTensor;
    const dense = tf.layers.dense({ name: 'head', units: 6, activation: 'sigmoid' }).apply(global) as tf.SymbolicTensor;
    const output = tf.layers.dense({ name: 'output', units: 2, activation: 'softmax' }).apply(dense) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output, name: 'mini-mobilenet' });
    perturb(model, 11);

    const snapshot = await snapshotModel(model, { architecture: 'mini-mobilenet', classNames: ['cats', 'dogs'] });
    const bytes = modelToOnnx({ ...source, model: { ...snapshot.record, weights: 'not-stored' } }, snapshot.weights);
    const pixels = images(3, 16, 9);
    const { data } = await runOnnx(bytes, pixels, [3, 16, 16, 3]);
    const expected = (model.predict(tf.tensor4d(pixels, [3, 16, 16, 3])) as tf.Tensor).dataSync() as Float32Array;
    expectClose(data, expected, 1e-5);
  });

  it.each(['block', 'r1+block'])('a head on pretrained features (layer %s): model.onnx is the joined model, image in, as Download model gives it', async (layer) => {
    const dataset = [...pictures('train', 'a', 4), ...pictures('train', 'b', 4), ...pictures('validation', 'a', 2), ...pictures('validation', 'b', 2)];
    // A backbone expecting [-1, 1]: the joined model rescales the page's [0, 1] first.
    const { store, versionId } = await pretrainedVersion(dataset, [-1, 1], layer);
    const files = await exportModelFiles(store, versionId);
    const joined = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: JSON.parse(files['model.json']).modelTopology, weightSpecs: JSON.parse(files['model.json']).weightsManifest[0].weights, weightData: files['weights.bin'].slice().buffer }),
    );
    const pixels = images(4, SIZE, 5);
    const { data } = await runOnnx(await exportOnnx(store, versionId), pixels, [4, SIZE, SIZE, 3]);
    const expected = (joined.predict(tf.tensor4d(pixels, [4, SIZE, SIZE, 3])) as tf.Tensor).dataSync() as Float32Array;
    expectClose(data, expected, 1e-5);
  });

  it('refuses a layer it cannot write, by name', async () => {
    const store = await freshStore();
    const { id } = await storeWorkspace(store, tutorialImages());
    const { versionId } = await commitModelVersion(store, id, ['cats', 'dogs']);
    const source = await readModelSource(store, versionId);
    const model = tf.sequential({ name: 'odd' });
    model.add(tf.layers.upSampling2d({ name: 'grow', size: [2, 2], inputShape: [4, 4, 3] }));
    model.add(tf.layers.flatten({ name: 'flat' }));
    model.add(tf.layers.dense({ name: 'output', units: 2, activation: 'softmax' }));
    const snapshot = await snapshotModel(model, { architecture: 'odd', classNames: ['cats', 'dogs'] });
    const make = () => modelToOnnx({ ...source, model: { ...snapshot.record, weights: 'x' } }, snapshot.weights);
    expect(make).toThrow(UnsupportedLayerError);
    expect(make).toThrow('Layer “grow” is a UpSampling2D, which Pawprint cannot write as ONNX yet.');
  });
});
