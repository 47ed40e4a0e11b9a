/** What the user is told about the WebGPU adapter: enough to know whether "GPU" means a GPU. */
export interface AdapterSummary {
  available: boolean;
  vendor: string;
  architecture: string;
  description: string;
  /** True when the browser emulates WebGPU on the CPU (e.g. SwiftShader). */
  isFallback: boolean;
}

const NO_WEBGPU: AdapterSummary = {
  available: false,
  vendor: '',
  architecture: '',
  description: '',
  isFallback: false,
};

/** Asks for the default adapter; `gpu` is navigator.gpu (undefined where WebGPU is missing). */
export async function describeAdapter(gpu: GPU | undefined): Promise<AdapterSummary> {
  if (!gpu) return NO_WEBGPU;
  let adapter: GPUAdapter | null;
  try {
    adapter = await gpu.requestAdapter();
  } catch {
    return NO_WEBGPU;
  }
  if (!adapter) return NO_WEBGPU;
  const info = adapter.info;
  return {
    available: true,
    vendor: info.vendor,
    architecture: info.architecture,
    description: info.description,
    isFallback: info.isFallbackAdapter,
  };
}

/** One line for the status bar, e.g. "google swiftshader (software adapter)" or "no WebGPU". */
export function adapterLabel(adapter: AdapterSummary): string {
  if (!adapter.available) return 'no WebGPU';
  const name = [adapter.vendor, adapter.architecture].filter(Boolean).join(' ') || adapter.description || 'unknown adapter';
  return adapter.isFallback ? `${name} (software adapter)` : name;
}

/** Whether a WebGL renderer string names a CPU rasteriser (SwiftShader, llvmpipe…), not a GPU. */
export function isSoftwareRenderer(renderer: string): boolean {
  return /swiftshader|llvmpipe|software/i.test(renderer);
}
