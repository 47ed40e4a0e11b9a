import { setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import threadedSimdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import kernelsWasm from '../../core/train/wasm/kernels.wasm?url';
import kernelsThreadsWasm from '../../core/train/wasm/kernels-threads.wasm?url';
import kernelsFmaWasm from '../../core/train/wasm/kernels-fma.wasm?url';
import kernelsThreadsFmaWasm from '../../core/train/wasm/kernels-threads-fma.wasm?url';
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

async function load(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`Could not load ${url}: ${response.status} ${response.statusText}`);
  return response.arrayBuffer();
}

const compile = async (url: string) => WebAssembly.compile(await load(url));

/** The FMA build where this engine validates relaxed SIMD, else nothing (the plain build serves). */
async function compileIfValid(url: string): Promise<WebAssembly.Module | undefined> {
  const bytes = await load(url);
  return WebAssembly.validate(bytes) ? WebAssembly.compile(bytes) : undefined;
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
  const [single, threaded, singleFma, threadedFma] = await Promise.all([
    compile(kernelsWasm),
    compile(kernelsThreadsWasm),
    compileIfValid(kernelsFmaWasm),
    compileIfValid(kernelsThreadsFmaWasm),
  ]);
  const modules: KernelModules = { single, threaded, ...(singleFma && threadedFma ? { singleFma, threadedFma } : {}) };
  registerWasmKernels({ modules, threads: wasmThreadsAvailable(), spawnHelper });
}
