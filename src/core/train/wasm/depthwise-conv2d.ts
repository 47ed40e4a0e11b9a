import * as tf from '@tensorflow/tfjs';
import { assertFloat32, assertNhwc, convArgs } from './conv-args';
import { ACTIVATIONS } from './conv2d';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/**
 * DepthwiseConv2dNative and FusedDepthwiseConv2D (bias per channel; no activation, ReLU or
 * ReLU6) with one filter per channel, as MobileNet's (a pretrained backbone's) are, on the pool's
 * threads: one output row of one image per tile. A channel multiplier above 1, other fused
 * activations and NCHW go to tfjs' XNNPACK kernels (`fallbacks`), which run on one thread.
 */
export function depthwiseKernels(context: KernelContext, fallbacks: { plain: tf.KernelFunc; fused: tf.KernelFunc }): { plain: tf.KernelFunc; fused: tf.KernelFunc } {
  const run = (call: Parameters<tf.KernelFunc>[0], bias: tf.TensorInfo | undefined, activation: number, fallback: tf.KernelFunc) => {
    const { x, filter } = call.inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
    const attrs = call.attrs as unknown as tf.DepthwiseConv2dNativeAttrs;
    const perChannel = filter.shape[3] === 1 && (!bias || (bias.shape.length === 1 && bias.shape[0] === x.shape[3]));
    if (!perChannel || attrs.dataFormat === 'NCHW') return fallback(call);
    assertNhwc('DepthwiseConv2dNative', attrs.dataFormat);
    assertFloat32('DepthwiseConv2dNative', x, filter, ...(bias ? [bias] : []));
    const { backend, pool, offset } = context.of(call.backend);
    type Shape4 = [number, number, number, number];
    const info = tf.backend_util.computeConv2DInfo(x.shape as Shape4, filter.shape as Shape4, attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode, true);
    const y = backend.makeOutput(info.outShape, 'float32');
    pool.run(JOB.depthwise, [...convArgs(info), offset(x), offset(filter), offset(y), bias ? offset(bias) : 0, activation], info.batchSize * info.outHeight);
    return y;
  };
  return {
    plain: (call) => run(call, undefined, 0, fallbacks.plain),
    fused: (call) => {
      const { bias, preluActivationWeights } = call.inputs as Record<string, tf.TensorInfo | undefined>;
      const activation = ACTIVATIONS.get((call.attrs as unknown as tf.FusedDepthwiseConv2DAttrs).activation ?? 'linear');
      if (preluActivationWeights || activation === undefined) return fallbacks.fused(call);
      return run(call, bias, activation, fallbacks.fused);
    },
  };
}
