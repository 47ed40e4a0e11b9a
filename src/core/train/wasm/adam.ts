import * as tf from '@tensorflow/tfjs';
import { tilesOf } from './elementwise';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/** The kernel FusedAdam calls on wasm: one variable's whole Adam update in one pass. */
export const ADAM = 'PawprintAdam';

export interface AdamAttrs {
  beta1: number;
  beta2: number;
  epsilon: number;
  learningRate: number;
}

const bits = new Int32Array(1);
const asFloat = new Float32Array(bits.buffer);
/** The int32 word holding `value` as a float32, as kernels.c reads its float arguments. */
export function float32Bits(value: number): number {
  asFloat[0] = value;
  return bits[0]!;
}

/**
 * Inputs value, m, v, gradient and the scalars accBeta1, accBeta2 (β1ᵗ, β2ᵗ); outputs value', m',
 * v'. The scalars tfjs' AdamOptimizer makes from JavaScript numbers (β1, 1 − β1, ε, −lr…) are
 * rounded to float32 here exactly as tfjs rounds them, so the result is bit-identical to its ~20
 * kernels per variable.
 */
export function adam(context: KernelContext): tf.KernelFunc {
  return (call) => {
    const { value, m, v, gradient, accBeta1, accBeta2 } = call.inputs as Record<string, tf.TensorInfo>;
    const { beta1, beta2, epsilon, learningRate } = call.attrs as unknown as AdamAttrs;
    const { backend, pool, offset } = context.of(call.backend);
    const scalar = (t: tf.TensorInfo) => backend.typedArrayFromHeap(t)[0]!;
    // tfjs: sub(1, accBeta) in float32, i.e. the double difference of two float32s, rounded.
    const oneMinusAcc1 = Math.fround(1 - scalar(accBeta1!));
    const oneMinusAcc2 = Math.fround(1 - scalar(accBeta2!));
    const shape = value!.shape;
    const [value2, m2, v2] = [backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32'), backend.makeOutput(shape, 'float32')];
    const length = tf.util.sizeFromShape(shape);
    const args = [
      length, offset(value!), offset(m!), offset(v!), offset(gradient!), offset(value2), offset(m2), offset(v2),
      ...[beta1, 1 - beta1, beta2, 1 - beta2, oneMinusAcc1, oneMinusAcc2, epsilon, -learningRate].map(float32Bits),
    ];
    pool.run(JOB.adam, args, tilesOf(length));
    return [value2, m2, v2];
  };
}
