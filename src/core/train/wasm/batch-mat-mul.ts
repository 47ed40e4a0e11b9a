import * as tf from '@tensorflow/tfjs';
import { JOB } from './kernel-pool';
import type { KernelContext } from './kernel-context';

/** Rows and columns of C per tile (kernels.c's matmul_tile). */
const BLOCK = 64;

/**
 * BatchMatMul on the pool's threads: a dense layer's forward pass (tfjs' XNNPACK one runs on one
 * thread, see register-wasm-kernels.ts) and its gradients, which have a transposed operand
 * (dx = dy · Wᵀ, dW = xᵀ · dy) and run in a naive loop in tfjs-backend-wasm. The GEMM reads A with any row
 * and column stride, so a transposed A is read in place; it reads B by rows, so a transposed B
 * is either transposed once, or, when that is the bigger copy (dy · Wᵀ: W is the large
 * operand), the product is computed as Cᵀ = B · Aᵀ, transposing only A and the result.
 * Batch shapes that broadcast other than by a batch of one stay with tfjs' kernel (`fallback`).
 */
export function batchMatMul(context: KernelContext, fallback: tf.KernelFunc): tf.KernelFunc {
  return (call) => {
    const { a, b } = call.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
    const { transposeA, transposeB } = call.attrs as unknown as tf.BatchMatMulAttrs;
    const batchA = tf.util.sizeFromShape(a.shape.slice(0, -2));
    const batchB = tf.util.sizeFromShape(b.shape.slice(0, -2));
    const batches = Math.max(batchA, batchB);
    const broadcastsSimply = batchA === batchB || batchA === 1 || batchB === 1;
    if (!broadcastsSimply || a.dtype !== 'float32' || b.dtype !== 'float32') return fallback(call);
    const { backend, pool, offset } = context.of(call.backend);
    const rankA = a.shape.length;
    const rankB = b.shape.length;
    const m = a.shape[transposeA ? rankA - 1 : rankA - 2]!;
    const k = a.shape[transposeA ? rankA - 2 : rankA - 1]!;
    const n = b.shape[transposeB ? rankB - 2 : rankB - 1]!;
    const outer = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
    const out = backend.makeOutput([...outer, m, n], 'float32');
    const temporaries: tf.TensorInfo[] = [];
    const temporary = (shape: number[]) => {
      const info = backend.makeOutput(shape, 'float32');
      temporaries.push(info);
      return info;
    };
    /** Each batch of `source` ([rows × cols] each) transposed into `target`. */
    const transposeEach = (source: tf.TensorInfo, count: number, rows: number, cols: number, target: tf.TensorInfo) => {
      for (let i = 0; i < count; i++) pool.transpose(offset(source) + i * rows * cols * 4, rows, cols, offset(target) + i * rows * cols * 4);
    };
    const product = (M: number, N: number, K: number, A: tf.TensorInfo, rowStride: number, columnStride: number, strideA: number, B: tf.TensorInfo, strideB: number, C: tf.TensorInfo) =>
      pool.run(JOB.matmul, [M, N, K, offset(A), rowStride, columnStride, strideA, offset(B), N, strideB, offset(C)], batches * Math.ceil(M / BLOCK) * Math.ceil(N / BLOCK));
    try {
      const swap = transposeB && batchA === batches && batchB === batches && m * k + m * n < k * n;
      if (swap) {
        // Cᵀ [n × m] = B [n × k] · Aᵀ [k × m], then C = (Cᵀ)ᵀ.
        const aRows = transposeA ? a : temporary([batches, k, m]);
        if (!transposeA) transposeEach(a, batches, m, k, aRows);
        const resultT = temporary([batches, n, m]);
        product(n, m, k, b, k, 1, n * k, aRows, k * m, resultT);
        transposeEach(resultT, batches, n, m, out);
      } else {
        const bRows = transposeB ? temporary([batchB, k, n]) : b;
        if (transposeB) transposeEach(b, batchB, n, k, bRows);
        const [rowStride, columnStride] = transposeA ? [1, m] : [k, 1];
        product(m, n, k, a, rowStride, columnStride, batchA === 1 ? 0 : m * k, bRows, batchB === 1 ? 0 : k * n, out);
      }
    } finally {
      for (const info of temporaries) backend.disposeData(info.dataId);
    }
    return out;
  };
}
