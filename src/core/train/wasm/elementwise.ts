import * as tf from '@tensorflow/tfjs';
import { float32Bits } from './adam';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/** Floats per tile of an elementwise job (kernels.c's ELEMENTS). */
export const ELEMENTS = 16384;
export const tilesOf = (length: number) => Math.ceil(length / ELEMENTS);

/**
 * Add where one side is a bias, repeated along the other's last axis: a layer's bias in
 * training, where tfjs does not fuse it into the convolution. Other adds go to tfjs' kernel.
 */
export function biasAdd(context: KernelContext, fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { a, b } = call.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const [x, bias] = a.shape.length >= b.shape.length ? [a, b] : [b, a];
    const channels = x.shape[x.shape.length - 1];
    const isBias = bias.shape.length === 1 && x.shape.length >= 2 && bias.shape[0] === channels;
    if (!isBias || x.dtype !== 'float32' || bias.dtype !== 'float32') return fallback(call);
    const { backend, pool, offset } = context.of(call.backend);
    const y = backend.makeOutput(x.shape, 'float32');
    const length = tf.util.sizeFromShape(x.shape);
    pool.run(JOB.biasAdd, [length, channels!, offset(x), offset(bias), offset(y)], tilesOf(length));
    return y;
  };
}

/** Relu on every thread (memory-bound: each core streams its part). */
export function relu(context: KernelContext, fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { x } = call.inputs as { x: tf.TensorInfo };
    if (x.dtype !== 'float32') return fallback(call);
    const { backend, pool, offset } = context.of(call.backend);
    const y = backend.makeOutput(x.shape, 'float32');
    const length = tf.util.sizeFromShape(x.shape);
    pool.run(JOB.relu, [length, offset(x), offset(y)], tilesOf(length));
    return y;
  };
}

/** The kernel Pawprint's Relu gradient calls on wasm: dy · step(x) in one pass. */
export const RELU_GRAD = 'PawprintReluGrad';

export function reluGrad(context: KernelContext): tf.KernelFunc {
  return (call) => {
    const { dy, x } = call.inputs as { dy: tf.TensorInfo; x: tf.TensorInfo };
    const { backend, pool, offset } = context.of(call.backend);
    const dx = backend.makeOutput(x.shape, 'float32');
    const length = tf.util.sizeFromShape(x.shape);
    pool.run(JOB.reluGrad, [length, offset(dy), offset(x), offset(dx)], tilesOf(length));
    return dx;
  };
}

/**
 * Makes tfjs' Relu gradient one pass on wasm: tfjs computes it as mul(dy, step(x)), two passes
 * over the activation and a temporary; RELU_GRAD gives the same bits. Other backends keep
 * tfjs' gradient. (The registry's config is changed in place: registering a new one would warn
 * about overriding on every start.)
 */
export function fuseReluGradient(): void {
  const config = tf.getGradient(tf.Relu);
  if (!config || (config as { pawprint?: true }).pawprint) return;
  const original = config.gradFunc;
  config.gradFunc = (dy, saved, attrs) => {
    if (tf.getBackend() !== 'wasm' || !(dy instanceof tf.Tensor) || dy.dtype !== 'float32' || saved[0]?.dtype !== 'float32') return original(dy, saved, attrs);
    const x = saved[0];
    return { x: () => tf.engine().runKernel(RELU_GRAD, { dy, x }) as tf.Tensor };
  };
  (config as { pawprint?: true }).pawprint = true;
}

/** ClipByValue on every thread (a backbone's ReLU6 clips after a Relu); NaN stays NaN. */
export function clip(context: KernelContext, fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { x } = call.inputs as { x: tf.TensorInfo };
    const { clipValueMin, clipValueMax } = call.attrs as unknown as tf.ClipByValueAttrs;
    if (x.dtype !== 'float32') return fallback(call);
    const { backend, pool, offset } = context.of(call.backend);
    const y = backend.makeOutput(x.shape, 'float32');
    const length = tf.util.sizeFromShape(x.shape);
    pool.run(JOB.clip, [length, offset(x), offset(y), float32Bits(clipValueMin), float32Bits(clipValueMax)], tilesOf(length));
    return y;
  };
}
