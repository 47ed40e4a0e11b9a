export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** DESIGN.md's preference: the GPU through WebGPU first, then WebGL, then WASM, then plain JS. */
export const BACKEND_ORDER: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

export const BACKEND_LABELS: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};
