import { describe, expect, it } from 'vitest';
import { gpuIsSoftware, probeShape } from '../../src/core/runs/probe';
import type { AdapterSummary } from '../../src/core/runtime/adapter';

const gpu: AdapterSummary = { available: true, vendor: 'nvidia', architecture: 'ampere', description: '', isFallback: false };
const swiftshader: AdapterSummary = { ...gpu, vendor: 'google', architecture: 'swiftshader', isFallback: true };
const none: AdapterSummary = { available: false, vendor: '', architecture: '', description: '', isFallback: false };
const SOFTWARE_GL = 'ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)';
const HARDWARE_GL = 'ANGLE (NVIDIA, NVIDIA GeForce RTX 3060 Direct3D11 vs_5_0 ps_5_0, D3D11)';

describe("Auto's probe", () => {
  it('knows when every GPU backend is emulated on the CPU', () => {
    expect(gpuIsSoftware(swiftshader, ['webgpu', 'webgl', 'wasm'], SOFTWARE_GL)).toBe(true);
    expect(gpuIsSoftware(none, ['webgl', 'wasm'], 'llvmpipe (LLVM 15.0.6, 256 bits)')).toBe(true);
    expect(gpuIsSoftware(swiftshader, ['webgpu', 'wasm'], null)).toBe(true);
  });

  it('treats a GPU it cannot rule out as hardware', () => {
    expect(gpuIsSoftware(swiftshader, ['webgpu', 'webgl', 'wasm'], HARDWARE_GL)).toBe(false);
    expect(gpuIsSoftware(none, ['webgl', 'wasm'], HARDWARE_GL)).toBe(false);
    expect(gpuIsSoftware(none, ['webgl', 'wasm'], null)).toBe(false); // WebGL that does not name its renderer
    expect(gpuIsSoftware(gpu, ['webgpu', 'wasm'], null)).toBe(false);
  });

  it('probes emulated GPUs on a small batch of small images, real ones at the run’s shape', () => {
    const run = { imageSize: 150, classes: 3, batchSize: 16 };
    expect(probeShape(run, true)).toEqual({ imageSize: 32, classes: 3, batchSize: 8 });
    expect(probeShape({ imageSize: 28, classes: 2, batchSize: 4 }, true)).toEqual({ imageSize: 28, classes: 2, batchSize: 4 });
    expect(probeShape(run, false)).toBe(run);
  });
});
