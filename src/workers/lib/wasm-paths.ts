import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import kernelsWasm from '../../core/train/wasm/kernels.wasm?url';
import kernelsThreadsWasm from '../../core/train/wasm/kernels-threads.wasm?url';
import { registerWasmKernels, type KernelModules, type SpawnHelper } from '../../core/train';

/**
 * Serves tfjs' wasm binaries from our own origin (Vite copies them into the build), never from
 * a CDN. In a cross-origin isolated page tfjs loads its threaded SIMD build, whose memory is
 * shared, and Pawprint's kernels compute on every core; otherwise the single-threaded SIMD build.
 * XNNPACK's own pool stays at one thread: the heavy kernels are Pawprint's, on its own pool, and
 * XNNPACK's workers spin for a while after each of its jobs, taking a core from ours.
 */
export function useBundledWasm(): void {
  setWasmPaths({
    'tfjs-backend-wasm.wasm': plainWasm,
    'tfjs-backend-wasm-simd.wasm': simdWasm,
    'tfjs-backend-wasm-threaded-simd.wasm': threadedSimdWasm,
  });
  setThreadsCount(1);
}

async function compile(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load ${url}: ${response.status} ${response.statusText}`);
  return WebAssembly.compile(await response.arrayBuffer());
}

const spawnHelper: SpawnHelper = (init) => {
  const worker = new Worker(new URL('../kernel-thread.worker.ts', import.meta.url), { type: 'module', name: `kernel thread ${init.thread}` });
  worker.postMessage(init);
  return worker;
};

/** Threads the kernels may use: every core the browser reports, where the page can share memory. */
export function wasmThreadsAvailable(): number {
  return globalThis.crossOriginIsolated ? Math.max(1, navigator.hardwareConcurrency || 1) : 1;
}

/** Compiles Pawprint's kernels and registers them for the wasm backend (once). */
export async function registerBundledKernels(): Promise<void> {
  const [single, threaded] = await Promise.all([compile(kernelsWasm), compile(kernelsThreadsWasm)]);
  const modules: KernelModules = { single, threaded };
  registerWasmKernels({ modules, threads: wasmThreadsAvailable(), spawnHelper });
}
