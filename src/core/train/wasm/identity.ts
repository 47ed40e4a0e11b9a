import * as tf from '@tensorflow/tfjs';

/**
 * Identity, and Cast to the same dtype, share the input's data as tfjs' cpu backend does
 * (tensors are immutable). tfjs-backend-wasm copies them: ~60 copies of activations per
 * training step of the reference convnet, a tenth of a step at 64 px.
 */
export function sharingIdentity(fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { x } = call.inputs as { x: tf.TensorInfo };
    const dtype = (call.attrs as { dtype?: tf.DataType } | undefined)?.dtype ?? x.dtype;
    if (dtype !== x.dtype || x.dtype === 'string') return fallback(call);
    (call.backend as { incRef(dataId: object): void }).incRef(x.dataId);
    return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
  };
}
