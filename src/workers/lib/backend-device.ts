import { adapterLabel, isSoftwareRenderer, type AdapterSummary } from '../../core/runtime/adapter';
import type { BackendName } from '../../core/runtime/backend-names';
import { describeWasmThreads, type WasmThreads } from '../../core/runs/wasm-threads';

/** The GL renderer, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device…))": says whether WebGL is software. */
export function glRenderer(): string | null {
  const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
  if (!gl) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
}

/** What actually ran the training, in words: the adapter, the GL renderer, or the CPU path. */
export function backendDevice(backend: BackendName, adapter: AdapterSummary, threads: WasmThreads | null): string {
  switch (backend) {
    case 'webgpu':
      return adapterLabel(adapter);
    case 'webgl': {
      const renderer = glRenderer();
      return renderer ? `${renderer}${isSoftwareRenderer(renderer) ? ' (software)' : ''}` : 'WebGL';
    }
    case 'wasm':
      return threads ? `WebAssembly on the CPU (${describeWasmThreads(threads)})` : 'WebAssembly on the CPU (SIMD)';
    case 'cpu':
      return 'plain JavaScript on the CPU';
  }
}
