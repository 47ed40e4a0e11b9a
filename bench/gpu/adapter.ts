// The WebGPU adapter tfjs-backend-webgpu runs on, for the output: tfjs asks for it with
// powerPreference 'high-performance' (unless WEBGPU_USE_LOW_POWER_GPU), and so does this.
import { adapterLabel } from '../../src/core/runtime/adapter';

export interface AdapterLine {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  /** True for a software adapter (SwiftShader, lavapipe, WARP): CPU emulation, not a GPU. */
  isFallbackAdapter: boolean;
  /** e.g. "google swiftshader (software adapter)", "nvidia ampere". */
  label: string;
}

/** The adapter's description, or null when this machine offers none. */
export async function describeGpuAdapter(gpu: GPU): Promise<AdapterLine | null> {
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) return null;
  const info = adapter.info;
  // isFallbackAdapter moved from GPUAdapter to GPUAdapterInfo; older Dawn builds have the former.
  const legacy = (adapter as { isFallbackAdapter?: boolean }).isFallbackAdapter;
  const isFallbackAdapter = Boolean(info.isFallbackAdapter ?? legacy);
  const summary = { available: true, vendor: info.vendor, architecture: info.architecture, description: info.description, isFallback: isFallbackAdapter };
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description, isFallbackAdapter, label: adapterLabel(summary) };
}
