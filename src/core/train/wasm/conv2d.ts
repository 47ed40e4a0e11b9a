import * as tf from '@tensorflow/tfjs';
import { assertFloat32, assertNhwc, convArgs, PIXEL_BLOCK, tapsOf } from './conv-args';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/** kernels.c's ACT_* codes for the activations it fuses. */
export const ACTIVATIONS: ReadonlyMap<string, number> = new Map([
  ['linear', 0],
  ['relu', 1],
  ['relu6', 2],
]);

/**
 * Conv2D, and FusedConv2D with no activation, ReLU or ReLU6 and a bias per output channel, as an
 * im2col GEMM on the pool's threads (tfjs' XNNPACK convolution runs on its own thread pool,
 * which Pawprint leaves at one thread; see register-wasm-kernels.ts). Other fused activations
 * go to tfjs' own kernel.
 */
export function conv2dKernels(context: KernelContext, fusedFallback: tf.KernelFunc): { conv2d: tf.KernelFunc; fusedConv2d: tf.KernelFunc } {
  const run = (x: tf.TensorInfo, filter: tf.TensorInfo, attrs: tf.Conv2DAttrs, bias: tf.TensorInfo | undefined, activation: number, backendArg: unknown) => {
    const { backend, pool, offset } = context.of(backendArg);
    assertNhwc('Conv2D', attrs.dataFormat);
    assertFloat32('Conv2D', x, filter, ...(bias ? [bias] : []));
    const info = tf.backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number],
      filter.shape as [number, number, number, number],
      attrs.strides, attrs.dilations ?? 1, attrs.pad, attrs.dimRoundingMode,
    );
    const y = backend.makeOutput(info.outShape, 'float32');
    const pixels = info.batchSize * info.outHeight * info.outWidth;
    const args = [...convArgs(info), offset(x), offset(filter), offset(y), bias ? offset(bias) : 0, activation];
    pool.run(JOB.conv, args, Math.ceil(pixels / PIXEL_BLOCK), PIXEL_BLOCK * tapsOf(info));
    return y;
  };
  return {
    conv2d: ({ inputs, attrs, backend }) => {
      const { x, filter } = inputs as { x: tf.TensorInfo; filter: tf.TensorInfo };
      return run(x, filter, attrs as unknown as tf.Conv2DAttrs, undefined, 0, backend);
    },
    fusedConv2d: (args) => {
      const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, tf.TensorInfo | undefined>;
      const attrs = args.attrs as unknown as tf.FusedConv2DAttrs;
      const simpleBias = !bias || (bias.shape.length === 1 && bias.shape[0] === filter!.shape[3]);
      const activation = ACTIVATIONS.get(attrs.activation ?? 'linear');
      if (preluActivationWeights || !simpleBias || activation === undefined) return fusedFallback(args);
      return run(x!, filter!, attrs, bias, activation, args.backend);
    },
  };
}
