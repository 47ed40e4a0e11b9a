import { describe, expect, it } from 'vitest';
import { chooseBackend, needsProbe } from '../../src/core/runs/choose-backend';
import type { AdapterSummary } from '../../src/core/runtime/adapter';

const gpu: AdapterSummary = { available: true, vendor: 'nvidia', architecture: 'ampere', description: '', isFallback: false };
const software: AdapterSummary = { ...gpu, vendor: 'google', architecture: 'swiftshader', isFallback: true };
const none: AdapterSummary = { available: false, vendor: '', architecture: '', description: '', isFallback: false };

describe('Auto backend', () => {
  it('trusts a real GPU without probing', () => {
    expect(needsProbe(gpu, ['webgpu', 'webgl', 'wasm', 'cpu'])).toBe(false);
    expect(chooseBackend(gpu, ['webgpu', 'webgl'], {})).toEqual({ backend: 'webgpu', reason: 'Using WebGPU on nvidia GPU.' });
  });

  it('does not blindly pick emulated WebGPU: the fastest probe wins, and says by how much', () => {
    expect(needsProbe(software, ['webgpu', 'webgl', 'wasm'])).toBe(true);
    const decision = chooseBackend(software, ['webgpu', 'webgl', 'wasm'], { webgpu: 12, webgl: 14, wasm: 49 });
    expect(decision.backend).toBe('wasm');
    expect(decision.reason).toBe('No GPU found: WebGPU is emulated on the CPU; using WASM, 4.1× faster here than WebGPU.');
  });

  it('compares with the runner-up when WebGPU itself wins or is missing', () => {
    expect(chooseBackend(software, ['webgpu', 'webgl'], { webgpu: 30, webgl: 10 }).reason).toMatch(/using WebGPU, 3\.0× faster here than WebGL/);
    const noWebgpu = chooseBackend(none, ['webgl', 'wasm'], { webgl: 10, wasm: 25 });
    expect(noWebgpu).toEqual({ backend: 'wasm', reason: 'No WebGPU in this browser; using WASM, 2.5× faster here than WebGL.' });
  });

  it('falls back to the first non-WebGPU backend when nothing could be measured', () => {
    expect(chooseBackend(none, ['webgl', 'cpu'], {}).backend).toBe('webgl');
    expect(chooseBackend(none, [], {}).backend).toBe('cpu');
  });
});
