import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { HelperInit, KernelModules, SpawnHelper } from '../../src/core/train';

const dir = new URL('../../src/core/train/wasm/', import.meta.url);

const compile = (file: string) => new WebAssembly.Module(readFileSync(new URL(file, dir)));

/**
 * The committed builds of kernels.c, compiled: the plain SIMD ones, or with PAWPRINT_KERNELS=fma
 * (the unit-fma project, whose Node runs with --experimental-wasm-relaxed-simd) the fused
 * multiply-add ones the browser prefers.
 */
export function kernelModules(): KernelModules {
  const plain = { single: compile('kernels.wasm'), threaded: compile('kernels-threads.wasm') };
  if (process.env.PAWPRINT_KERNELS !== 'fma') return plain;
  return { ...plain, singleFma: compile('kernels-fma.wasm'), threadedFma: compile('kernels-threads-fma.wasm') };
}

/** A helper thread as a Node worker: what src/workers/kernel-thread.worker.ts does in the browser. */
export const spawnNodeHelper: SpawnHelper = (init: HelperInit) => {
  const worker = new Worker(
    `const { workerData: d } = require('node:worker_threads');
     new WebAssembly.Instance(d.module, { env: { memory: d.memory } }).exports.pool_wait(d.ctl, d.thread);`,
    { eval: true, workerData: init },
  );
  return { terminate: () => void worker.terminate() };
};
