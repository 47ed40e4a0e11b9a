import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReferenceConvnet, registerWasmTrainingKernels } from '../../src/core/train';

type Padding = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];

/** Deterministic, varied values without a random generator. */
const wave = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3));

/** dL/dfilter of conv2d on the current backend, with dy given (the loss is sum(conv(x, f) · dyWeights)). */
async function filterGrad(
  inShape: [number, number, number, number],
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Padding,
): Promise<Float32Array> {
  const x = tf.tensor4d(wave(inShape.reduce((a, b) => a * b), 0.37), inShape);
  const filter = tf.tensor4d(wave(filterShape.reduce((a, b) => a * b), 0.71), filterShape);
  const outShape = tf.tidy(() => tf.conv2d(x, filter, strides, pad).shape);
  const dyWeights = tf.tensor(wave(outShape.reduce((a, b) => a * b), 0.11), outShape);
  const grad = tf.grad((f) => tf.conv2d(x, f as tf.Tensor4D, strides, pad).mul(dyWeights).sum())(filter);
  const values = (await grad.data()) as Float32Array;
  tf.dispose([x, filter, dyWeights, grad]);
  return values;
}

function maxRelativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return worst;
}

async function onBackend<T>(name: 'cpu' | 'wasm', run: () => Promise<T>): Promise<T> {
  await tf.setBackend(name);
  return run();
}

beforeAll(async () => {
  registerWasmTrainingKernels();
  // Loads tfjs-backend-wasm-simd.wasm from node_modules (Node has no wasm threads in tfjs).
  expect(await tf.setBackend('wasm')).toBe(true);
});

describe('Conv2DBackpropFilter on wasm', () => {
  const cases: { name: string; strides: number | [number, number]; pad: Padding; size: [number, number] }[] = [
    { name: 'stride 1 valid', strides: 1, pad: 'valid', size: [8, 8] },
    { name: 'stride 1 same', strides: 1, pad: 'same', size: [7, 9] },
    { name: 'stride 2 valid', strides: 2, pad: 'valid', size: [8, 8] },
    { name: 'stride 2 valid, odd size', strides: 2, pad: 'valid', size: [9, 7] },
    { name: 'stride 2 same', strides: 2, pad: 'same', size: [8, 8] },
    { name: 'stride 2 same, odd size', strides: 2, pad: 'same', size: [7, 9] },
    { name: 'strides [2, 1] same', strides: [2, 1], pad: 'same', size: [8, 6] },
    { name: 'stride 3 valid', strides: 3, pad: 'valid', size: [10, 11] },
    { name: 'stride 1 explicit padding', strides: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]], size: [6, 6] },
  ];
  for (const { name, strides, pad, size } of cases) {
    it(`matches the cpu backend: ${name}`, async () => {
      const inShape: [number, number, number, number] = [2, size[0], size[1], 3];
      const filterShape: [number, number, number, number] = [3, 3, 3, 4];
      const expected = await onBackend('cpu', () => filterGrad(inShape, filterShape, strides, pad));
      const backend = tf.engine().backend;
      await tf.setBackend('wasm');
      const before = tf.engine().backend.numDataIds();
      const actual = await filterGrad(inShape, filterShape, strides, pad);
      expect(tf.engine().backend.numDataIds()).toBe(before);
      expect(backend).not.toBe(tf.engine().backend);
      expect(actual.length).toBe(expected.length);
      expect(maxRelativeDiff(actual, expected)).toBeLessThan(1e-5);
    });
  }

  it('documents the upstream bug: the raw Conv3DBackpropFilterV2 is right at stride 1 and wrong at stride 2', async () => {
    const raw = async (stride: number) => {
      const expected = await onBackend('cpu', () => filterGrad([1, 8, 8, 2], [3, 3, 2, 2], stride, 'valid'));
      await tf.setBackend('wasm');
      const x = tf.tensor5d(wave(128, 0.37), [1, 1, 8, 8, 2]);
      const outSize = Math.floor((8 - 3) / stride) + 1;
      const dy = tf.tensor5d(wave(outSize * outSize * 2, 0.11), [1, 1, outSize, outSize, 2]);
      const dw = tf.engine().runKernel(tf.Conv3DBackpropFilterV2, { x, dy }, {
        strides: [1, stride, stride],
        pad: 'valid',
        filterShape: [1, 3, 3, 2, 2],
      }) as tf.Tensor;
      const diff = maxRelativeDiff((await dw.data()) as Float32Array, expected);
      tf.dispose([x, dy, dw]);
      return diff;
    };
    expect(await raw(1)).toBeLessThan(1e-5);
    expect(await raw(2)).toBeGreaterThan(0.1);
  });
});

/** Each builds the convnet on both backends; headroom for a loaded 2-core machine. */
const MODEL_TIMEOUT = 20_000;

describe('MaxPoolGrad on wasm', () => {
  /** dL/dx of max pooling, with dy given, on the current backend. */
  async function poolGrad(values: number[], shape: [number, number, number, number], filter: number, stride: number, pad: 'valid' | 'same') {
    const x = tf.tensor4d(values, shape);
    const outShape = tf.tidy(() => tf.maxPool(x, filter, stride, pad).shape);
    const dyWeights = tf.tensor(wave(outShape.reduce((a, b) => a * b), 0.23), outShape);
    const grad = tf.grad((input) => tf.maxPool(input as tf.Tensor4D, filter, stride, pad).mul(dyWeights).sum())(x);
    const result = (await grad.data()) as Float32Array;
    tf.dispose([x, dyWeights, grad]);
    return result;
  }

  const mixed = (n: number) => wave(n, 0.37); // about half negative
  const flat = (n: number) => wave(n, 0.37).map((v, i) => (i % 7 < 4 ? 0.5 : v)); // runs of equal maxima
  const cases: { name: string; values: (n: number) => number[]; shape: [number, number, number, number]; filter: number; stride: number; pad: 'valid' | 'same' }[] = [
    { name: '2×2 stride 2, negative windows, even size', values: mixed, shape: [2, 6, 6, 3], filter: 2, stride: 2, pad: 'valid' },
    { name: '2×2 stride 2, odd size', values: mixed, shape: [1, 9, 7, 2], filter: 2, stride: 2, pad: 'valid' },
    { name: '2×2 stride 2, ties take the first maximum', values: flat, shape: [1, 8, 8, 2], filter: 2, stride: 2, pad: 'valid' },
    { name: '3×3 stride 2 same (overlapping windows)', values: mixed, shape: [1, 7, 8, 2], filter: 3, stride: 2, pad: 'same' },
    { name: '3×3 stride 1 same', values: flat, shape: [1, 5, 5, 1], filter: 3, stride: 1, pad: 'same' },
  ];
  for (const { name, values, shape, filter, stride, pad } of cases) {
    it(`matches the cpu backend: ${name}`, async () => {
      const input = values(shape.reduce((a, b) => a * b));
      const expected = await onBackend('cpu', () => poolGrad(input, shape, filter, stride, pad));
      await tf.setBackend('wasm');
      const before = tf.engine().backend.numDataIds();
      const actual = await poolGrad(input, shape, filter, stride, pad);
      expect(tf.engine().backend.numDataIds()).toBe(before);
      expect(maxRelativeDiff(actual, expected)).toBeLessThan(1e-6);
    });
  }
});

describe('the reference convnet on wasm', () => {
  const seed = 7;
  const xs = () => tf.tensor4d(wave(4 * 24 * 24 * 3, 0.013).map((v) => (v + 1) / 2), [4, 24, 24, 3]);
  const ys = () => tf.tensor2d([1, 0, 0, 1, 1, 0, 0, 1], [4, 2]);

  /** Loss and gradients of every weight for one batch, in inference mode (no dropout) so both backends compute the same function. */
  async function lossAndGrads(): Promise<{ loss: number; grads: Float32Array[] }> {
    const model = buildReferenceConvnet({ imageSize: 24, classes: 2, seed });
    const [x, y] = [xs(), ys()];
    const { value, grads } = tf.variableGrads(() =>
      tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: false }) as tf.Tensor).mean() as tf.Scalar,
    );
    const names = Object.keys(grads).sort();
    const result = { loss: (await value.data())[0]!, grads: await Promise.all(names.map(async (n) => (await grads[n]!.data()) as Float32Array)) };
    tf.dispose([x, y, value, ...Object.values(grads)]);
    model.dispose();
    return result;
  }

  it('computes the same loss and gradients as the cpu backend within 1e-4', async () => {
    const cpu = await onBackend('cpu', lossAndGrads);
    const wasm = await onBackend('wasm', lossAndGrads);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-4);
    expect(wasm.grads.length).toBe(10); // kernel and bias of conv1-3, dense, output
    for (const [i, grad] of wasm.grads.entries()) expect(maxRelativeDiff(grad, cpu.grads[i]!)).toBeLessThan(1e-4);
  }, MODEL_TIMEOUT);

  it('trains a batch with trainOnBatch (every kernel Adam and the layers need exists)', async () => {
    const step = async () => {
      const model = buildReferenceConvnet({ imageSize: 24, classes: 2, seed });
      model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
      const [x, y] = [xs(), ys()];
      const [loss] = (await model.trainOnBatch(x, y)) as number[];
      tf.dispose([x, y]);
      model.optimizer.dispose();
      model.dispose();
      return loss!;
    };
    const cpuLoss = await onBackend('cpu', step);
    const wasmLoss = await onBackend('wasm', step);
    expect(Number.isFinite(wasmLoss)).toBe(true);
    expect(Math.abs(wasmLoss - cpuLoss)).toBeLessThan(1e-4);
  }, MODEL_TIMEOUT);
});
