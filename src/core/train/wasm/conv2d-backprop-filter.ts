import * as tf from '@tensorflow/tfjs';
import { convArgs, gradientGeometry, PIXEL_BLOCK, tapsOf } from './conv-args';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/** Partial sums of a reduction: enough tiles for every thread, few enough to add up cheaply. */
export const REDUCTION_GROUPS = 16;

/**
 * The weight gradient dW = Σ_p im2col(x)[p]ᵀ · dy[p], at any stride, padding and size: the
 * pixels are cut into groups, each summed into its own partial dW by whichever thread takes it,
 * and the partials added in order. (tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter at all.)
 */
export function conv2dBackpropFilter(context: KernelContext): tf.KernelFunc {
  return ({ inputs, attrs, backend: backendArg }) => {
    const { backend, pool, offset } = context.of(backendArg);
    const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
    const { filterShape, ...geometry } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
    const info = gradientGeometry('Conv2DBackpropFilter', x.shape, filterShape, geometry, [x, dy]);
    const taps = tapsOf(info);
    const dw = backend.makeOutput(filterShape, 'float32');
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    const length = taps * info.outChannels;
    const groups = Math.min(REDUCTION_GROUPS, Math.ceil(pixels / PIXEL_BLOCK));
    const partials = pool.partialsFor(groups, length);
    pool.run(JOB.filterGrad, [...convArgs(info), offset(x), offset(dy), partials, groups], groups, PIXEL_BLOCK * taps);
    pool.sumGroups(partials, groups, length, offset(dw));
    return dw;
  };
}
