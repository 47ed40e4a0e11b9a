import * as tf from '@tensorflow/tfjs';

/**
 * kernels.c's convolution geometry (conv_args): input n, h, w, ci; output oh, ow, co; filter
 * kh, kw; strides; dilations; padding before (top, left). Padding after needs no word: the
 * output size already says where the windows stop.
 */
export function convArgs(info: tf.backend_util.Conv2DInfo): number[] {
  if (info.dataFormat !== 'channelsLast') throw new Error('Pawprint\'s wasm convolution kernels take NHWC tensors only.');
  return [
    info.batchSize, info.inHeight, info.inWidth, info.inChannels,
    info.outHeight, info.outWidth, info.outChannels,
    info.filterHeight, info.filterWidth, info.strideHeight, info.strideWidth,
    info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left,
  ];
}

/** Taps per output pixel: rows of the filter seen as a [K × co] matrix. */
export const tapsOf = (info: tf.backend_util.Conv2DInfo) => info.filterHeight * info.filterWidth * info.inChannels;

/** Output pixels per tile of a convolution job (kernels.c's BLOCK). */
export const PIXEL_BLOCK = 64;

/** Refuses what kernels.c does not compute, with a message that says so. */
export function assertFloat32(kernel: string, ...tensors: tf.TensorInfo[]): void {
  const other = tensors.find((t) => t.dtype !== 'float32');
  if (other) throw new Error(`${kernel} on wasm takes float32 tensors, not ${other.dtype}.`);
}

/** NHWC in tfjs' attribute spelling; anything else is refused with the layout named. */
export function assertNhwc(kernel: string, dataFormat: string | undefined): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC' && dataFormat !== 'channelsLast') {
    throw new Error(`${kernel} on wasm supports the NHWC layout only, not ${dataFormat}.`);
  }
}

/**
 * The geometry of a convolution gradient (dilation 1, as tfjs' gradients require), after
 * refusing what kernels.c does not compute.
 */
export function gradientGeometry(
  kernel: string,
  inputShape: readonly number[],
  filterShape: readonly number[],
  attrs: { strides: number | [number, number]; pad: tf.Conv2DBackpropFilterAttrs['pad']; dataFormat?: string; dimRoundingMode?: 'floor' | 'round' | 'ceil' },
  tensors: tf.TensorInfo[],
): tf.backend_util.Conv2DInfo {
  assertNhwc(kernel, attrs.dataFormat);
  assertFloat32(kernel, ...tensors);
  type Shape4 = [number, number, number, number];
  return tf.backend_util.computeConv2DInfo(inputShape as Shape4, filterShape as Shape4, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}
