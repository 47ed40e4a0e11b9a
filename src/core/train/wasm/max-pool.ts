import * as tf from '@tensorflow/tfjs';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/**
 * MaxPool with 2×2 windows at stride 2 and no padding (the reference convnet's pools) on the
 * pool's threads, as the cpu backend computes it (NaN never the maximum); any other pool goes
 * to tfjs' XNNPACK kernel (`fallback`), which runs on one thread.
 */
export function maxPool(context: KernelContext, fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { x } = call.inputs as { x: tf.TensorInfo };
    const { filterSize, strides, pad, dimRoundingMode } = call.attrs as unknown as tf.MaxPoolAttrs;
    const info = tf.backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    const { padInfo } = info;
    const twoByTwo = info.filterHeight === 2 && info.filterWidth === 2 && info.strideHeight === 2 && info.strideWidth === 2 && padInfo.top === 0 && padInfo.left === 0;
    if (!twoByTwo || x.dtype !== 'float32') return fallback(call);
    const { backend, pool, offset } = context.of(call.backend);
    const y = backend.makeOutput(info.outShape, 'float32');
    pool.run(JOB.maxPool, [info.inHeight, info.inWidth, info.inChannels, info.outHeight, info.outWidth, offset(x), offset(y)], info.batchSize);
    return y;
  };
}
