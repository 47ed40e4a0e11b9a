import type * as tf from '@tensorflow/tfjs';

/** What a tensor's entry in the wasm backend's data map holds. */
export interface WasmTensorData {
  /** The id C++ kernels know the tensor by. */
  id: number;
  /** Byte offset of the tensor's values in the module's memory. */
  memoryOffset: number;
}

/**
 * The parts of tfjs-backend-wasm's BackendWasm (and its emscripten module) that Pawprint's
 * kernels use. Declared here because its own typings need emscripten's.
 */
export interface WasmBackend {
  wasm: {
    cwrap(name: string, returnType: null, argTypes: string[]): (...args: number[]) => void;
    _malloc(bytes: number): number;
    _free(offset: number): void;
    /** The threaded build's shared memory. */
    wasmMemory?: WebAssembly.Memory;
    /** The single-threaded build's own memory, among the module's exports. */
    asm?: { memory?: WebAssembly.Memory };
  };
  dataIdMap: { get(dataId: object): WasmTensorData | undefined };
  /** Allocates an output on the wasm heap (uninitialised). */
  makeOutput(shape: number[], dtype: 'float32'): tf.TensorInfo;
  /** A view of a tensor's bytes on the heap; take it after the last allocation, as the heap may grow. */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
  disposeData(dataId: object): boolean;
  incRef(dataId: object): void;
}

/** The memory tfjs keeps its tensors in, whichever build runs. */
export function backendMemory(backend: WasmBackend): WebAssembly.Memory {
  const memory = backend.wasm.wasmMemory ?? backend.wasm.asm?.memory;
  if (!memory) throw new Error('tfjs-backend-wasm did not expose its memory; Pawprint cannot run its kernels on it.');
  return memory;
}

/** A tensor's byte offset in that memory. */
export function heapOffset(backend: WasmBackend, tensor: tf.TensorInfo): number {
  const data = backend.dataIdMap.get(tensor.dataId);
  if (!data) throw new Error('A tensor passed to a wasm kernel is not on the wasm backend.');
  return data.memoryOffset;
}
