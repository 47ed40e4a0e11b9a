import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import plainWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import simdWasm from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';

/**
 * WebAssembly (SIMD where the browser has it) from this folder, else plain JavaScript. One
 * thread: a static host rarely sends the headers shared memory needs, so the threaded build is
 * not shipped. Returns the backend's name.
 */
export async function startBackend(): Promise<string> {
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  // tfjs wants a path for each of its binaries; the threaded one is never loaded with the flag above off.
  setWasmPaths({ 'tfjs-backend-wasm.wasm': plainWasm, 'tfjs-backend-wasm-simd.wasm': simdWasm, 'tfjs-backend-wasm-threaded-simd.wasm': simdWasm });
  for (const name of ['wasm', 'cpu']) {
    try {
      if ((await tf.setBackend(name)) && tf.getBackend() === name) {
        await tf.ready();
        return name;
      }
    } catch {
      // Next one.
    }
  }
  throw new Error('Neither WebAssembly nor plain JavaScript could run the model in this browser.');
}
