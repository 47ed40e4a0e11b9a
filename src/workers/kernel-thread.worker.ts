// A helper thread of the training kernels' pool (core/train/wasm/kernel-pool.ts): it joins tfjs'
// shared memory and takes tiles of every job until the pool stops it.
import type { HelperInit } from '../core/train';

self.onmessage = ({ data }: MessageEvent<HelperInit>) => {
  const { exports } = new WebAssembly.Instance(data.module, { env: { memory: data.memory } });
  (exports.pool_wait as (ctl: number, thread: number) => void)(data.ctl, data.thread);
};
