import type * as tf from '@tensorflow/tfjs';

/**
 * The parts of tfjs-backend-wasm's BackendWasm that our replacement kernels
 * use. Declared here because its own typings need emscripten's.
 */
export interface WasmBackend {
  wasm: { cwrap(name: string, returnType: null, argTypes: string[]): (...args: number[]) => void };
  dataIdMap: { get(dataId: object): { id: number } | undefined };
  /** Allocates an output on the wasm heap (uninitialised). */
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  /** A view of a tensor's bytes on the heap; take it after the last allocation, as the heap may grow. */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
}
