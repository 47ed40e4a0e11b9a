import * as tf from '@tensorflow/tfjs';
import type { WasmBackend } from './wasm-backend';

/**
 * MaxPoolGrad for any window, stride, padding and dilation, exact as tfjs' cpu backend, in plain
 * JavaScript on the wasm heap. (tfjs-backend-wasm 4.22's own looks for each window's maximum
 * starting from the smallest positive float, not the lowest, and keeps the last of equal maxima,
 * so it sends the gradient nowhere for a window of values ≤ 0 and to the wrong pixel of a flat
 * one.) The 2×2, stride-2 windows of the reference convnet take the SIMD kernel instead.
 */
export const maxPoolGradExact: tf.KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as WasmBackend;
  const { dy, input } = inputs as { dy: tf.TensorInfo; input: tf.TensorInfo };
  const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as tf.MaxPoolGradAttrs;
  const info = tf.backend_util.computePool2DInfo(input.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
  const dx = backend.makeOutput(input.shape, 'float32');
  const x = backend.typedArrayFromHeap(input);
  const gradOut = backend.typedArrayFromHeap(dy);
  const gradIn = backend.typedArrayFromHeap(dx).fill(0);
  const { batchSize, inHeight, inWidth, inChannels: channels, outHeight, outWidth } = info;
  const { strideHeight, strideWidth, dilationHeight, dilationWidth, effectiveFilterHeight, effectiveFilterWidth } = info;
  let out = 0;
  for (let b = 0; b < batchSize; b++) {
    for (let outRow = 0; outRow < outHeight; outRow++) {
      const top = outRow * strideHeight - info.padInfo.top;
      for (let outCol = 0; outCol < outWidth; outCol++) {
        const left = outCol * strideWidth - info.padInfo.left;
        for (let c = 0; c < channels; c++, out++) {
          // The first strict maximum from -∞, as the cpu backend: NaN never wins.
          let best = Number.NEGATIVE_INFINITY;
          let bestAt = -1;
          for (let row = top; row < top + effectiveFilterHeight; row += dilationHeight) {
            if (row < 0 || row >= inHeight) continue;
            for (let col = left; col < left + effectiveFilterWidth; col += dilationWidth) {
              if (col < 0 || col >= inWidth) continue;
              const at = ((b * inHeight + row) * inWidth + col) * channels + c;
              if (x[at]! > best) {
                best = x[at]!;
                bestAt = at;
              }
            }
          }
          if (bestAt >= 0) gradIn[bestAt]! += gradOut[out]!;
        }
      }
    }
  }
  return dx;
};
