import * as tf from '@tensorflow/tfjs';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';
import { maxPoolGradExact } from './max-pool-grad-exact';

/**
 * MaxPoolGrad: 2×2 windows at stride 2 without padding (the reference convnet's pools) in SIMD,
 * one image per tile, with the cpu backend's tie and NaN rules; any other pool in the exact
 * JavaScript kernel.
 */
export function maxPoolGrad(context: KernelContext): tf.KernelFunc {
  return (call) => {
    const { dy, input } = call.inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = call.attrs as unknown as tf.MaxPoolGradAttrs;
    const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const { padInfo } = info;
    const twoByTwo =
      info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 &&
      info.dilationHeight === 1 && info.dilationWidth === 1 && padInfo.top === 0 && padInfo.left === 0;
    if (!twoByTwo || input.dtype !== 'float32' || dy.dtype !== 'float32') return maxPoolGradExact(call);
    const { backend, pool, offset } = context.of(call.backend);
    const dx = backend.makeOutput(input.shape, 'float32');
    const args = [info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, offset(input), offset(dy), offset(dx)];
    pool.run(JOB.maxPoolGrad, args, info.batchSize);
    return dx;
  };
}
