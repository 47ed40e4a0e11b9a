import { registerWasmConvGrad } from './wasm-conv-grad';
import { registerWasmMaxPoolGrad } from './wasm-max-pool-grad';

/** What the wasm backend needs to train the reference convnet correctly; call before training on 'wasm'. */
export function registerWasmTrainingKernels(): void {
  registerWasmConvGrad();
  registerWasmMaxPoolGrad();
}
