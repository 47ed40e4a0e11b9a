import * as tf from '@tensorflow/tfjs';
import { convArgs, gradientGeometry, PIXEL_BLOCK, tapsOf } from './conv-args';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/**
 * The input gradient dx = col2im(dy · Wᵀ) at any stride and padding: a GEMM against the
 * filter transposed once per call, then a scatter-add of each block of rows into the image it
 * came from. One image per tile, so threads never add into the same dx.
 */
export function conv2dBackpropInput(context: KernelContext): tf.KernelFunc {
  return ({ inputs, attrs, backend: backendArg }) => {
    const { backend, pool, offset } = context.of(backendArg);
    const { dy, filter } = inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
    const { inputShape, ...geometry } = attrs as unknown as tf.Conv2DBackpropInputAttrs;
    const info = gradientGeometry('Conv2DBackpropInput', inputShape, filter.shape, geometry, [dy, filter]);
    const taps = tapsOf(info);
    const transposed = backend.makeOutput([info.outChannels, taps], 'float32');
    const dx = backend.makeOutput([...inputShape], 'float32');
    try {
      pool.transpose(offset(filter), taps, info.outChannels, offset(transposed));
      pool.run(JOB.inputGrad, [...convArgs(info), offset(dy), offset(transposed), offset(dx)], info.batchSize, PIXEL_BLOCK * taps);
    } finally {
      backend.disposeData(transposed.dataId);
    }
    return dx;
  };
}
