import { readFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import type { HelperInit, KernelModules, SpawnHelper } from '../../src/core/train';

const dir = new URL('../../src/core/train/wasm/', import.meta.url);

/** The committed builds of kernels.c, compiled. */
export function kernelModules(): KernelModules {
  return {
    single: new WebAssembly.Module(readFileSync(new URL('kernels.wasm', dir))),
    threaded: new WebAssembly.Module(readFileSync(new URL('kernels-threads.wasm', dir))),
  };
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
