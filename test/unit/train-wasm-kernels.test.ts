import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildReferenceConvnet, currentKernelPool, registerWasmKernels } from '../../src/core/train';
import { FusedAdam } from '../../src/core/train/fused-adam';
import { kernelModules } from './wasm-kernel-modules';

type Shape4 = [number, number, number, number];
type Padding = 'valid' | 'same' | [[0, 0], [number, number], [number, number], [0, 0]];

/** Deterministic, varied values without a random generator. */
const wave = (n: number, k: number) => Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3));
const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function maxRelativeDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / (1 + Math.abs(b[i]!)));
  return worst;
}

/** Runs `compute` on the cpu backend and on wasm; on wasm also checks that no tensor data was left behind. */
async function onBoth<T>(compute: () => Promise<T>): Promise<{ cpu: T; wasm: T }> {
  await tf.setBackend('cpu');
  const cpu = await compute();
  await tf.setBackend('wasm');
  const before = tf.engine().backend.numDataIds();
  const wasm = await compute();
  expect(tf.engine().backend.numDataIds()).toBe(before);
  return { cpu, wasm };
}

const read = async (tensors: tf.Tensor[]) => {
  const values = await Promise.all(tensors.map(async (t) => (await t.data()) as Float32Array));
  tf.dispose(tensors);
  return values;
};

beforeAll(async () => {
  // Node's tfjs-backend-wasm runs the single-threaded SIMD build: one thread.
  registerWasmKernels({ modules: kernelModules(), threads: 1 });
  expect(await tf.setBackend('wasm')).toBe(true);
});


describe('the kernels build in use', () => {
  it(`is the one this project asks for (${process.env.PAWPRINT_KERNELS === 'fma' ? 'fused multiply-add' : 'plain SIMD'})`, async () => {
    await tf.setBackend('wasm');
    tf.dispose(tf.conv2d(tf.zeros([1, 4, 4, 1]) as tf.Tensor4D, tf.zeros([3, 3, 1, 1]) as tf.Tensor4D, 1, 'valid'));
    expect(currentKernelPool()?.fusedMultiplyAdd).toBe(process.env.PAWPRINT_KERNELS === 'fma');
  });
});

describe('convolution kernels on wasm match the cpu backend', () => {
  const cases: { name: string; input: Shape4; filter: Shape4; strides: number | [number, number]; pad: Padding; dilations?: number }[] = [
    { name: 'stride 1 valid, 3 in / 4 out channels', input: [2, 8, 8, 3], filter: [3, 3, 3, 4], strides: 1, pad: 'valid' },
    { name: 'stride 1 same', input: [2, 7, 9, 3], filter: [3, 3, 3, 8], strides: 1, pad: 'same' },
    { name: 'stride 2 valid, odd size', input: [2, 9, 7, 4], filter: [3, 3, 4, 8], strides: 2, pad: 'valid' },
    { name: 'stride 2 same, odd size, 12 out channels', input: [2, 7, 9, 5], filter: [3, 3, 5, 12], strides: 2, pad: 'same' },
    { name: 'stride 3 valid', input: [3, 10, 11, 3], filter: [3, 3, 3, 16], strides: 3, pad: 'valid' },
    { name: 'explicit padding', input: [2, 6, 6, 3], filter: [3, 3, 3, 8], strides: 1, pad: [[0, 0], [1, 2], [0, 1], [0, 0]] },
    { name: 'strides [2, 1] same', input: [2, 8, 6, 3], filter: [3, 3, 3, 8], strides: [2, 1], pad: 'same' },
    { name: '5×3 filter, strides [1, 2] same', input: [2, 9, 9, 8], filter: [5, 3, 8, 8], strides: [1, 2], pad: 'same' },
    { name: 'conv2 of the reference convnet (several tiles per image)', input: [2, 13, 13, 32], filter: [3, 3, 32, 64], strides: 1, pad: 'valid' },
    { name: 'larger: 4 images, 16 → 32 channels, same', input: [4, 20, 20, 16], filter: [3, 3, 16, 32], strides: 1, pad: 'same' },
  ];
  for (const { name, input, filter, strides, pad } of cases) {
    it(`forward, fused bias + ReLU, weight gradient and input gradient: ${name}`, async () => {
      const compute = async () => {
        const x = tf.tensor4d(wave(size(input), 0.37), input);
        const w = tf.tensor4d(wave(size(filter), 0.71), filter);
        const bias = tf.tensor1d(wave(filter[3], 1.3));
        const y = tf.conv2d(x, w, strides, pad);
        const fused = tf.fused.conv2d({ x, filter: w, strides, pad, bias, activation: 'relu' });
        const dyWeights = tf.tensor(wave(size(y.shape), 0.11), y.shape);
        const [dx, dw] = tf.grads((a, b) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, strides, pad).mul(dyWeights).sum())([x, w]);
        const values = await read([y, fused, dw!, dx!]);
        tf.dispose([x, w, bias, dyWeights]);
        return values;
      };
      const { cpu, wasm } = await onBoth(compute);
      for (const [i, part] of ['forward', 'fused', 'weight gradient', 'input gradient'].entries()) {
        expect(maxRelativeDiff(wasm[i]!, cpu[i]!), part).toBeLessThan(1e-5);
      }
    });
  }

  it('forward with dilation 2', async () => {
    const compute = async () => {
      const x = tf.tensor4d(wave(size([1, 9, 9, 4]), 0.37), [1, 9, 9, 4]);
      const w = tf.tensor4d(wave(size([3, 3, 4, 8]), 0.71), [3, 3, 4, 8]);
      const values = await read([tf.conv2d(x, w, 1, 'same', 'NHWC', 2)]);
      tf.dispose([x, w]);
      return values;
    };
    const { cpu, wasm } = await onBoth(compute);
    expect(maxRelativeDiff(wasm[0]!, cpu[0]!)).toBeLessThan(1e-5);
  });

  it('refuses NCHW tensors with a message naming the layout', async () => {
    await tf.setBackend('wasm');
    const dy = tf.zeros([1, 4, 6, 6]);
    const w = tf.zeros([3, 3, 2, 4]);
    expect(() => tf.engine().runKernel(tf.Conv2DBackpropInput, { dy, filter: w }, { strides: 1, pad: 'valid', dataFormat: 'NCHW', inputShape: [1, 2, 8, 8] })).toThrow(/NHWC layout only, not NCHW/);
    tf.dispose([dy, w]);
  });
});

describe('a pretrained backbone\'s inference kernels on wasm match the cpu backend', () => {
  const cases: { name: string; input: Shape4; strides: number; pad: Padding }[] = [
    { name: 'stride 1 same, 12 channels', input: [2, 9, 7, 12], strides: 1, pad: 'same' },
    { name: 'stride 2 valid, odd size, 6 channels', input: [2, 9, 11, 6], strides: 2, pad: 'valid' },
    { name: 'stride 2 explicit padding (MobileNet\'s ZeroPadding2D + valid)', input: [1, 8, 8, 8], strides: 2, pad: [[0, 0], [0, 1], [0, 1], [0, 0]] },
    { name: '16-channel blocks then 4 then 1 (37 channels), stride 1 same', input: [2, 6, 5, 37], strides: 1, pad: 'same' },
    { name: '16-channel blocks, padding wider than the window on one side', input: [1, 3, 4, 32], strides: 1, pad: [[0, 0], [3, 0], [0, 2], [0, 0]] },
  ];
  for (const { name, input, strides, pad } of cases) {
    it(`depthwise convolution, plain and fused with a bias and ReLU6: ${name}`, async () => {
      const compute = async () => {
        const x = tf.tensor4d(wave(size(input), 0.37).map((v) => v * 4), input);
        const w = tf.tensor4d(wave(3 * 3 * input[3], 0.71), [3, 3, input[3], 1]);
        const bias = tf.tensor1d(wave(input[3], 1.3));
        // tf.fused.depthwiseConv2d's typing omits explicit padding, which its kernel takes.
        const fusedPad = pad as 'valid';
        const values = await read([tf.depthwiseConv2d(x, w, strides, pad), tf.fused.depthwiseConv2d({ x, filter: w, strides, pad: fusedPad, bias, activation: 'relu6' })]);
        tf.dispose([x, w, bias]);
        return values;
      };
      const { cpu, wasm } = await onBoth(compute);
      for (const [i, values] of wasm.entries()) expect(maxRelativeDiff(values, cpu[i]!), `result ${i}`).toBeLessThan(1e-5);
    });
  }

  it('1×1 convolutions (read in place, no im2col), fused ReLU6, batch normalisation, padding and clipping', async () => {
    const compute = async () => {
      const x = tf.tensor4d(wave(2 * 6 * 5 * 16, 0.23).map((v) => v * 5), [2, 6, 5, 16]);
      const w = tf.tensor4d(wave(16 * 24, 0.41), [1, 1, 16, 24]);
      const bias = tf.tensor1d(wave(24, 0.9));
      const [mean, variance, shift, scale] = [0.3, 0.5, 0.7, 0.11].map((k) => tf.tensor1d(wave(16, k).map((v, i) => (i === 1 ? Math.abs(v) + 0.1 : v))));
      const positive = tf.abs(variance!);
      const special = tf.tensor1d([Number.NaN, -1, 0.5, 7, -0, 6, 100, -100]);
      const values = await read([
        tf.conv2d(x, w, 1, 'valid'),
        tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'valid', bias, activation: 'relu6' }),
        tf.batchNorm(x, mean!, positive, shift, scale, 1e-3),
        tf.batchNorm(x, mean!, positive, undefined, undefined, 1e-3),
        tf.clipByValue(x, -1, 2),
        tf.pad(x, [[0, 0], [1, 2], [0, 3], [0, 0]], 0.25),
        tf.pad(x, [[1, 0], [0, 0], [0, 0], [2, 0]]),
        tf.clipByValue(special, 0, 6),
      ]);
      tf.dispose([x, w, bias, mean!, variance!, shift!, scale!, positive, special]);
      return values;
    };
    const { cpu, wasm } = await onBoth(compute);
    for (const [i, values] of wasm.slice(0, 7).entries()) expect(maxRelativeDiff(values, cpu[i]!), `result ${i}`).toBeLessThan(1e-5);
    expect(Array.from(wasm[7]!), 'clip of NaN, ±0 and out-of-range values, bit for bit').toEqual(Array.from(cpu[7]!));
  });
});

describe('matmul, sums and identity on wasm match the cpu backend', () => {
  const cases: { name: string; a: number[]; b: number[]; transposeA: boolean; transposeB: boolean }[] = [
    { name: 'plain', a: [7, 5], b: [5, 9], transposeA: false, transposeB: false },
    { name: 'Aᵀ · B (a dense layer\'s weight gradient)', a: [5, 7], b: [5, 9], transposeA: true, transposeB: false },
    { name: 'A · Bᵀ (a dense layer\'s input gradient)', a: [7, 5], b: [9, 5], transposeA: false, transposeB: true },
    { name: 'Aᵀ · Bᵀ', a: [5, 7], b: [9, 5], transposeA: true, transposeB: true },
    { name: 'batched Aᵀ · B', a: [3, 5, 7], b: [3, 5, 10], transposeA: true, transposeB: false },
    { name: 'batched A · Bᵀ, B broadcast', a: [3, 7, 5], b: [9, 5], transposeA: false, transposeB: true },
    { name: 'dense layer at 64 px: xᵀ · dy', a: [32, 4608], b: [32, 128], transposeA: true, transposeB: false },
    { name: 'dense layer at 64 px: dy · Wᵀ (computed as (W · dyᵀ)ᵀ)', a: [32, 128], b: [4608, 128], transposeA: false, transposeB: true },
    { name: 'batched A · Bᵀ with B the larger (computed as (B · Aᵀ)ᵀ)', a: [3, 4, 6], b: [3, 50, 6], transposeA: false, transposeB: true },
    { name: 'batched Aᵀ · Bᵀ with B the larger', a: [3, 6, 4], b: [3, 50, 6], transposeA: true, transposeB: true },
    { name: 'dense layer at 150 px, forward: x · W (long reduction, column tiles)', a: [32, 9000], b: [9000, 130], transposeA: false, transposeB: false },
    { name: 'batched plain A · B', a: [2, 70, 9], b: [2, 9, 75], transposeA: false, transposeB: false },
  ];
  for (const { name, a, b, transposeA, transposeB } of cases) {
    it(`matMul: ${name}`, async () => {
      const compute = async () => {
        const [ta, tb] = [tf.tensor(wave(size(a), 0.3), a), tf.tensor(wave(size(b), 0.2), b)];
        const values = await read([tf.matMul(ta, tb, transposeA, transposeB)]);
        tf.dispose([ta, tb]);
        return values;
      };
      const { cpu, wasm } = await onBoth(compute);
      expect(maxRelativeDiff(wasm[0]!, cpu[0]!)).toBeLessThan(1e-5);
    });
  }

  it('sum over every axis but the last (bias gradients), with and without keepDims, and other sums', async () => {
    const compute = async () => {
      const x = tf.tensor4d(wave(size([4, 5, 6, 7]), 0.3), [4, 5, 6, 7]);
      const long = tf.tensor2d(wave(600 * 3, 0.05), [600, 3]);
      const results = [tf.sum(x, [0, 1, 2]), tf.sum(x, [0, 1, 2], true), tf.sum(long, 0), tf.sum(x, [1]), tf.sum(x)];
      expect(results[1]!.shape).toEqual([1, 1, 1, 7]);
      const values = await read(results);
      tf.dispose([x, long]);
      return values;
    };
    const { cpu, wasm } = await onBoth(compute);
    for (const [i, values] of wasm.entries()) expect(maxRelativeDiff(values, cpu[i]!)).toBeLessThan(1e-5);
  });

  it('clone and same-dtype cast share the data, which outlives the original', async () => {
    await tf.setBackend('wasm');
    const before = tf.engine().backend.numDataIds();
    const x = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(x);
    const cast = tf.cast(x, 'float32');
    const ints = tf.cast(x, 'int32');
    x.dispose();
    expect(Array.from(await copy.data())).toEqual([1, 2, 3]);
    expect(Array.from(await cast.data())).toEqual([1, 2, 3]);
    expect(ints.dtype).toBe('int32');
    tf.dispose([copy, cast, ints]);
    expect(tf.engine().backend.numDataIds()).toBe(before);
  });
});

describe('bias add, ReLU and its gradient on wasm match the cpu backend bit for bit', () => {
  const special = (n: number) => wave(n, 0.37).map((v, i) => [Number.NaN, -0, 0, Number.NEGATIVE_INFINITY, v, v, v][i % 7]!);
  it('x + bias along the last axis (both argument orders), relu, and relu\'s gradient with NaN, ±0 and -Infinity', async () => {
    const compute = async () => {
      const x = tf.tensor4d(special(3 * 5 * 7 * 12), [3, 5, 7, 12]);
      const odd = tf.tensor2d(wave(9 * 5, 0.2), [9, 5]);
      const bias = tf.tensor1d(wave(12, 1.1));
      const oddBias = tf.tensor1d(wave(5, 0.9));
      const dy = tf.tensor4d(wave(3 * 5 * 7 * 12, 0.13).map((v, i) => (i % 11 === 0 ? -v : v)), [3, 5, 7, 12]);
      const reluGrad = tf.grad((input) => tf.relu(input).mul(dy).sum())(x);
      const values = await read([tf.add(x, bias), tf.add(bias, x), tf.add(odd, oddBias), tf.relu(x), reluGrad, tf.add(x, x)]);
      tf.dispose([x, odd, bias, oddBias, dy]);
      return values;
    };
    const { cpu, wasm } = await onBoth(compute);
    for (const [i, values] of wasm.entries()) expect(Array.from(values), `result ${i}`).toEqual(Array.from(cpu[i]!));
  });
});

describe('FusedAdam', () => {
  /** Weights after `steps` Adam steps of the reference convnet from the same start, as bytes. */
  async function trained(optimizer: () => tf.Optimizer, steps: number): Promise<Uint8Array[]> {
    const model = buildReferenceConvnet({ imageSize: 22, classes: 2, seed: 3 });
    model.compile({ optimizer: optimizer(), loss: 'categoricalCrossentropy' });
    const x = tf.tensor4d(wave(4 * 22 * 22 * 3, 0.013).map((v) => (v + 1) / 2), [4, 22, 22, 3]);
    const y = tf.tensor2d([1, 0, 0, 1, 1, 0, 0, 1], [4, 2]);
    for (let step = 0; step < steps; step++) await model.trainOnBatch(x, y);
    const weights = await Promise.all(model.getWeights().map(async (w) => new Uint8Array(((await w.data()) as Float32Array).buffer.slice(0))));
    tf.dispose([x, y]);
    model.optimizer.dispose();
    model.dispose();
    return weights;
  }

  it('gives bit-identical weights to tf.train.adam on wasm (one kernel per variable) and on cpu (tfjs\' own update)', async () => {
    // cpu: tfjs' own update (slow in plain JavaScript, so fewer steps).
    for (const [backend, steps] of [['wasm', 5], ['cpu', 2]] as const) {
      await tf.setBackend(backend);
      const fused = await trained(() => new FusedAdam(0.01, 0.9, 0.999), steps);
      const reference = await trained(() => tf.train.adam(0.01), steps);
      expect(fused.length).toBe(10);
      for (const [i, bytes] of fused.entries()) expect(Buffer.from(bytes).equals(Buffer.from(reference[i]!)), `${backend} weight ${i}`).toBe(true);
    }
  });
});

describe('MaxPoolGrad on wasm matches the cpu backend', () => {
  async function poolGrad(values: number[], shape: Shape4, filter: number, stride: number, pad: 'valid' | 'same') {
    const x = tf.tensor4d(values, shape);
    const outShape = tf.tidy(() => tf.maxPool(x, filter, stride, pad).shape);
    const dyWeights = tf.tensor(wave(size(outShape), 0.23), outShape);
    const grad = tf.grad((input) => tf.maxPool(input as tf.Tensor4D, filter, stride, pad).mul(dyWeights).sum())(x);
    const [result] = await read([grad]);
    tf.dispose([x, dyWeights]);
    return result!;
  }
  const mixed = (n: number) => wave(n, 0.37); // about half negative
  const flat = (n: number) => wave(n, 0.37).map((v, i) => (i % 7 < 4 ? 0.5 : v)); // runs of equal maxima
  const special = (n: number) => wave(n, 0.37).map((v, i) => [Number.NaN, Number.NEGATIVE_INFINITY, -0, v][i % 4]!);
  const cases: { name: string; values: (n: number) => number[]; shape: Shape4; filter: number; stride: number; pad: 'valid' | 'same' }[] = [
    { name: '2×2 stride 2, negative windows, even size', values: mixed, shape: [2, 6, 6, 3], filter: 2, stride: 2, pad: 'valid' },
    { name: '2×2 stride 2, odd size, 8 channels', values: mixed, shape: [1, 9, 7, 8], filter: 2, stride: 2, pad: 'valid' },
    { name: '2×2 stride 2, ties take the first maximum', values: flat, shape: [1, 8, 8, 6], filter: 2, stride: 2, pad: 'valid' },
    { name: '2×2 stride 2, NaN, -Infinity and -0', values: special, shape: [2, 6, 6, 5], filter: 2, stride: 2, pad: 'valid' },
    { name: '3×3 stride 2 same (overlapping windows)', values: mixed, shape: [1, 7, 8, 2], filter: 3, stride: 2, pad: 'same' },
    { name: '3×3 stride 1 same', values: flat, shape: [1, 5, 5, 1], filter: 3, stride: 1, pad: 'same' },
  ];
  it('2×2 stride 2 max pool forward, bit for bit, with NaN, -Infinity, -0 and odd sizes', async () => {
    const compute = async () => {
      const x = tf.tensor4d(special(2 * 7 * 9 * 6), [2, 7, 9, 6]);
      const flatX = tf.tensor4d(flat(8 * 8 * 5), [1, 8, 8, 5]);
      const values = await read([tf.maxPool(x, 2, 2, 'valid'), tf.maxPool(flatX, 2, 2, 'valid'), tf.maxPool(flatX, 3, 2, 'same')]);
      tf.dispose([x, flatX]);
      return values;
    };
    const { cpu, wasm } = await onBoth(compute);
    for (const [i, values] of wasm.entries()) expect(Array.from(values), `result ${i}`).toEqual(Array.from(cpu[i]!));
  });

  for (const { name, values, shape, filter, stride, pad } of cases) {
    it(name, async () => {
      const input = values(size(shape));
      const { cpu, wasm } = await onBoth(() => poolGrad(input, shape, filter, stride, pad));
      // Without overlap each pixel gets at most one window's gradient: bit for bit. With overlap
      // the sums may round differently (cpu adds in float64, then stores).
      if (filter === stride) expect(Array.from(wasm)).toEqual(Array.from(cpu));
      else expect(maxRelativeDiff(wasm, cpu)).toBeLessThan(1e-6);
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
    const { value, grads } = tf.variableGrads(() => tf.metrics.categoricalCrossentropy(y, model.apply(x, { training: false }) as tf.Tensor).mean() as tf.Scalar);
    const names = Object.keys(grads).sort();
    const result = { loss: (await value.data())[0]!, grads: await Promise.all(names.map(async (n) => (await grads[n]!.data()) as Float32Array)) };
    tf.dispose([x, y, value, ...Object.values(grads)]);
    model.dispose();
    return result;
  }

  it('computes the same loss and gradients of every weight as the cpu backend', async () => {
    const { cpu, wasm } = await onBoth(lossAndGrads);
    expect(Math.abs(wasm.loss - cpu.loss)).toBeLessThan(1e-5);
    expect(wasm.grads.length).toBe(10); // kernel and bias of conv1-3, dense, output
    for (const [i, grad] of wasm.grads.entries()) expect(maxRelativeDiff(grad, cpu.grads[i]!)).toBeLessThan(1e-4);
  });

  it('keeps its tensor count and the wasm heap flat over 1 000 training steps', async () => {
    await tf.setBackend('wasm');
    const model = buildReferenceConvnet({ imageSize: 22, classes: 2, seed });
    model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
    const x = tf.tensor4d(wave(2 * 22 * 22 * 3, 0.013).map((v) => (v + 1) / 2), [2, 22, 22, 3]);
    const y = tf.tensor2d([1, 0, 0, 1], [2, 2]);
    const heap = () => (tf.engine().backend as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
    const samples: { step: number; tensors: number; heap: number; loss: number }[] = [];
    for (let step = 1; step <= 1000; step++) {
      const [loss] = (await model.trainOnBatch(x, y)) as number[];
      if (step === 10 || step === 1000) samples.push({ step, tensors: tf.memory().numTensors, heap: heap(), loss: loss! });
    }
    const [early, late] = samples as [(typeof samples)[0], (typeof samples)[0]];
    expect(late.tensors).toBe(early.tensors);
    expect(late.heap).toBe(early.heap);
    expect(Number.isFinite(late.loss)).toBe(true);
    expect(late.loss).toBeLessThan(early.loss); // it learned the two examples
    tf.dispose([x, y]);
    model.optimizer.dispose();
    model.dispose();
  });
});
