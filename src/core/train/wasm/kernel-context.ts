import type * as tf from '@tensorflow/tfjs';
import { KernelPool, type PoolOptions } from './kernel-pool';
import { heapOffset, type WasmBackend } from './wasm-backend';

/** What a kernel function needs of the backend it runs on. */
export interface KernelCall {
  backend: WasmBackend;
  pool: KernelPool;
  /** A tensor's byte offset on the heap. */
  offset(tensor: tf.TensorInfo): number;
}

/**
 * The pool of each wasm backend instance, made on its first kernel call (tfjs may start a new
 * backend after disposing one; each gets its own pool on its own memory).
 */
export class KernelContext {
  private readonly pools = new WeakMap<object, KernelPool>();
  private last: KernelPool | null = null;

  constructor(private readonly options: PoolOptions) {}

  of(backendArg: unknown): KernelCall {
    const backend = backendArg as WasmBackend;
    let pool = this.pools.get(backend);
    if (!pool) {
      pool = new KernelPool(backend, this.options);
      this.pools.set(backend, pool);
    }
    this.last = pool;
    return { backend, pool, offset: (tensor) => heapOffset(backend, tensor) };
  }

  /** The pool of the backend kernels last ran on (null before the first call). */
  get current(): KernelPool | null {
    return this.last;
  }
}
