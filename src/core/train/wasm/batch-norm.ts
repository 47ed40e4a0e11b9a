import * as tf from '@tensorflow/tfjs';
import { float32Bits } from './adam';
import { tilesOf } from './elementwise';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/**
 * FusedBatchNorm in inference with per-channel statistics (a pretrained backbone's
 * BatchNormalization layers: MobileNetV2 has 52, which tfjs-backend-wasm ran in one slow loop, the
 * largest share of extracting features), on the pool's threads. Broadcast shapes other than one
 * value per channel go to tfjs' kernel (`fallback`).
 */
export function batchNorm(context: KernelContext, fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { x, mean, variance, offset: shift, scale } = call.inputs as Record<string, tf.TensorInfo | undefined>;
    const { varianceEpsilon } = call.attrs as unknown as tf.FusedBatchNormAttrs;
    const channels = x!.shape[x!.shape.length - 1]!;
    const perChannel = (t: tf.TensorInfo | undefined) => !t || (t.dtype === 'float32' && t.shape.length === 1 && t.shape[0] === channels);
    if (x!.dtype !== 'float32' || ![mean, variance, shift, scale].every(perChannel)) return fallback(call);
    const { backend, pool, offset } = context.of(call.backend);
    const y = backend.makeOutput(x!.shape, 'float32');
    const length = tf.util.sizeFromShape(x!.shape);
    const args = [length, channels, offset(x!), offset(mean!), offset(variance!), shift ? offset(shift) : 0, scale ? offset(scale) : 0, offset(y), float32Bits(varianceEpsilon)];
    pool.run(JOB.batchNorm, args, tilesOf(length));
    return y;
  };
}
