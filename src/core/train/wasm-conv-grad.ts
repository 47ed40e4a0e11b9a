import * as tf from '@tensorflow/tfjs';
import type { WasmBackend } from './wasm-backend';

/**
 * tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter kernel, so no convnet can
 * train on it. Its Conv3DBackpropFilterV2 kernel (C++) does the same sum in
 * 5-D: an NHWC conv is the depth-1 case of an NDHWC one, with identical memory
 * layout, so its buffers can be passed as they are.
 *
 * That kernel is wrong for strides above 1: its first output row/column per
 * filter tap is `DivCeil(pad - tap, stride)`, and its DivCeil adds 1 to C++'s
 * truncating division even for negative numerators, so it skips output rows
 * whenever the tap is past the padding (stride 2 fails with 'valid' and
 * 'same' alike). At stride 1 every division is exact and it is right. So a
 * strided problem is first turned into a stride-1 one: dy is spread out with
 * zeros between its rows and columns (dy'[i·s] = dy[i]), which gives the same
 * sums, and the kernel runs at stride 1. Everything stays in wasm memory.
 */

type Conv3DFilterGrad = (...args: number[]) => void;

/** The C function, bound once per wasm module. */
const boundKernels = new WeakMap<object, Conv3DFilterGrad>();

function conv3DFilterGrad(backend: WasmBackend): Conv3DFilterGrad {
  let bound = boundKernels.get(backend.wasm);
  if (!bound) {
    // x, dy, dw ids; 9 sizes; 3 strides; 3 dilations; 3 filter sizes; 3 pads.
    bound = backend.wasm.cwrap(tf.Conv3DBackpropFilterV2, null, new Array<string>(24).fill('number'));
    boundKernels.set(backend.wasm, bound);
  }
  return bound;
}

/** dy with (stride − 1) zero rows and columns between its own: the stride-1 equivalent of a strided conv's dy. */
function spreadOut(backend: WasmBackend, dy: tf.TensorInfo, strideHeight: number, strideWidth: number): tf.TensorInfo {
  const [batch, height, width, channels] = dy.shape as [number, number, number, number];
  const spreadHeight = (height - 1) * strideHeight + 1;
  const spreadWidth = (width - 1) * strideWidth + 1;
  const spread = backend.makeOutput([batch, spreadHeight, spreadWidth, channels], 'float32');
  const target = backend.typedArrayFromHeap(spread).fill(0);
  const source = backend.typedArrayFromHeap(dy);
  for (let b = 0; b < batch; b++) {
    for (let i = 0; i < height; i++) {
      for (let j = 0; j < width; j++) {
        const from = ((b * height + i) * width + j) * channels;
        const to = ((b * spreadHeight + i * strideHeight) * spreadWidth + j * strideWidth) * channels;
        target.set(source.subarray(from, from + channels), to);
      }
    }
  }
  return spread;
}

const conv2DBackpropFilter: tf.KernelFunc = ({ inputs, backend: anyBackend, attrs }) => {
  const backend = anyBackend as WasmBackend;
  const { x, dy } = inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as tf.Conv2DBackpropFilterAttrs;
  if (dataFormat !== 'NHWC') throw new Error(`Conv2DBackpropFilter on wasm supports NHWC only, not ${dataFormat}.`);
  if (x.dtype !== 'float32' || dy.dtype !== 'float32') throw new Error('Conv2DBackpropFilter on wasm needs float32 tensors.');
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filterShape,
    strides,
    1,
    pad,
    dimRoundingMode,
  );
  const strided = info.strideHeight > 1 || info.strideWidth > 1;
  const spread = strided ? spreadOut(backend, dy, info.strideHeight, info.strideWidth) : dy;
  const dw = backend.makeOutput(filterShape, 'float32');
  const id = (tensor: tf.TensorInfo) => backend.dataIdMap.get(tensor.dataId)!.id;
  try {
    conv3DFilterGrad(backend)(
      id(x), id(spread), id(dw),
      info.batchSize, 1, info.inHeight, info.inWidth, info.inChannels,
      1, spread.shape[1]!, spread.shape[2]!, info.outChannels,
      1, 1, 1, // strides: the spread-out dy has made the problem stride 1
      1, 1, 1, // dilations: conv2d's gradient supports only 1
      1, info.filterHeight, info.filterWidth,
      0, info.padInfo.top, info.padInfo.left,
    );
  } finally {
    if (strided) backend.disposeData(spread.dataId);
  }
  return dw;
};

/**
 * Registers the kernel for the 'wasm' backend unless one exists (a later tfjs
 * may bring its own). Safe to call before or after the backend starts; returns
 * whether it registered.
 */
export function registerWasmConvGrad(): boolean {
  if (tf.getKernel(tf.Conv2DBackpropFilter, 'wasm')) return false;
  tf.registerKernel({ kernelName: tf.Conv2DBackpropFilter, backendName: 'wasm', kernelFunc: conv2DBackpropFilter });
  return true;
}
