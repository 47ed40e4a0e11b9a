import * as tf from '@tensorflow/tfjs';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/** Rows of A per tile (kernels.c's matmul_tile). */
const ROW_BLOCK = 64;

/**
 * BatchMatMul with a transposed operand, as the dense layers' gradients ask (dx = dy · Wᵀ,
 * dW = xᵀ · dy): tfjs-backend-wasm runs those in a naive loop. A transposed A is read in place
 * (the GEMM takes any row and column stride); a transposed B is transposed once, as the GEMM
 * reads B's rows. Untransposed products, and batch shapes that broadcast other than by a batch
 * of one, stay with tfjs' XNNPACK kernel (`fallback`).
 */
export function batchMatMul(context: KernelContext, fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { a, b } = call.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = call.attrs as unknown as tf.BatchMatMulAttrs;
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const batches = Math.max(batchA, batchB);
    const broadcastsSimply = batchA === batchB || batchA === 1 || batchB === 1;
    if ((!transposeA && !transposeB) || !broadcastsSimply || a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(call);
    const { backend, pool, offset } = context.of(call.backend);
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const m = a.shape[transposeA ? rankA - 1 : rankA - 2]!;
    const k = a.shape[transposeA ? rankA - 2 : rankA - 1]!;
    const n = b.shape[transposeB ? rankB - 2 : rankB - 1]!;
    const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = backend.makeOutput([...outer, m, n], 'float32');
    const rows = transposeB ? backend.makeOutput([batchB, k, n], 'float32') : null;
    try {
      if (rows) {
        for (let i = 0; i < batchB; i++) pool.transpose(offset(b) + i * n * k * 4, n, k, offset(rows) + i * k * n * 4);
      }
      const [rowStride, columnStride] = transposeA ? [1, m] : [k, 1];
      const args = [
        m, n, k,
        offset(a), rowStride, columnStride, batchA === 1 ? 0 : m * k,
        offset(rows ?? b), n, batchB === 1 ? 0 : k * n,
        offset(out),
      ];
      pool.run(JOB.matmul, args, batches * Math.ceil(m / ROW_BLOCK));
    } finally {
      if (rows) backend.disposeData(rows.dataId);
    }
    return out;
  };
}
