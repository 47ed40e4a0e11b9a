import { afterAll, describe, expect, it } from 'vitest';
import { KernelPool, JOB } from '../../src/core/train/wasm/kernel-pool';
import type { WasmBackend } from '../../src/core/train/wasm/wasm-backend';
import { kernelModules, spawnNodeHelper } from './wasm-kernel-modules';

/**
 * The pool on a shared memory of its own, as in tfjs' threaded build (which Node's tfjs does
 * not run): helper threads are Node workers, and every job's result must not depend on how
 * many threads took its tiles.
 */
function sharedBackend(): WasmBackend {
  const memory = new WebAssembly.Memory({ initial: 512, maximum: 65536, shared: true });
  let next = 1024;
  return {
    wasm: {
      cwrap: () => () => undefined,
      _malloc: (bytes: number) => {
        const at = next;
        next += Math.ceil(bytes / 16) * 16;
        return at;
      },
      _free: () => undefined,
      wasmMemory: memory,
    },
    dataIdMap: { get: () => undefined },
    makeOutput: () => {
      throw new Error('not used');
    },
    typedArrayFromHeap: () => {
      throw new Error('not used');
    },
    disposeData: () => true,
    incRef: () => undefined,
  };
}

const wave = (n: number, k: number) => Float32Array.from({ length: n }, (_, i) => Math.sin(i * k + 0.3));

function put(backend: WasmBackend, values: Float32Array): number {
  const at = backend.wasm._malloc(values.length * 4);
  new Float32Array(backend.wasm.wasmMemory!.buffer, at, values.length).set(values);
  return at;
}
const get = (backend: WasmBackend, at: number, length: number) => new Float32Array(backend.wasm.wasmMemory!.buffer, at, length).slice();

async function ready(pool: KernelPool): Promise<void> {
  while (pool.threads < pool.threadsWanted) await new Promise((resolve) => setTimeout(resolve, 10));
}

/** Conv 'valid', stride 1: n, h, w, ci, oh, ow, co, kh, kw, strides, dilations, pads. */
const [n, h, w, ci, kh, kw, co] = [6, 14, 14, 8, 3, 3, 16];
const [oh, ow] = [h - kh + 1, w - kw + 1];
const geometry = [n, h, w, ci, oh, ow, co, kh, kw, 1, 1, 1, 1, 0, 0];
const taps = kh * kw * ci;

/** dW by definition, in float64. */
function filterGradReference(x: Float32Array, dy: Float32Array): Float64Array {
  const dw = new Float64Array(taps * co);
  for (let b = 0; b < n; b++)
    for (let y = 0; y < oh; y++)
      for (let xx = 0; xx < ow; xx++)
        for (let ky = 0; ky < kh; ky++)
          for (let kx = 0; kx < kw; kx++)
            for (let c = 0; c < ci; c++)
              for (let o = 0; o < co; o++)
                dw[((ky * kw + kx) * ci + c) * co + o]! += x[((b * h + y + ky) * w + xx + kx) * ci + c]! * dy[((b * oh + y) * ow + xx) * co + o]!;
  return dw;
}

const pools: KernelPool[] = [];
afterAll(() => pools.forEach((pool) => pool.dispose()));

describe('the kernel thread pool on a shared memory', () => {
  it('gives bit-identical weight gradients, input gradients and matmuls on 1 and 3 threads', async () => {
    const results: Float32Array[][] = [];
    for (const threads of [1, 3]) {
      const backend = sharedBackend();
      const pool = new KernelPool(backend, { modules: kernelModules(), threads, spawnHelper: spawnNodeHelper });
      pools.push(pool);
      await ready(pool);
      expect(pool.threads).toBe(threads);
      const x = put(backend, wave(n * h * w * ci, 0.37));
      const dy = put(backend, wave(n * oh * ow * co, 0.11));
      const filter = put(backend, wave(taps * co, 0.71));
      const dw = backend.wasm._malloc(taps * co * 4);
      const transposed = backend.wasm._malloc(taps * co * 4);
      const dx = backend.wasm._malloc(n * h * w * ci * 4);
      const product = backend.wasm._malloc(taps * co * 4);
      // Many small tiles, so every thread gets some.
      const groups = 16;
      const partials = pool.partialsFor(groups, taps * co);
      pool.run(JOB.filterGrad, [...geometry, x, dy, partials, groups], groups, 64 * taps);
      pool.sumGroups(partials, groups, taps * co, dw);
      pool.transpose(filter, taps, co, transposed);
      pool.run(JOB.inputGrad, [...geometry, dy, transposed, dx], n, 64 * taps);
      // The matmul job: the first 64 rows of dy [64 × co] · Wᵀ [co × taps], in column tiles of 64.
      pool.run(JOB.matmul, [64, taps, co, dy, co, 1, 0, transposed, taps, 0, product], Math.ceil(taps / 64));
      results.push([get(backend, dw, taps * co), get(backend, dx, n * h * w * ci), get(backend, product, 64 * taps)]);
      if (threads === 1) {
        const reference = filterGradReference(wave(n * h * w * ci, 0.37), wave(n * oh * ow * co, 0.11));
        const dwValues = results[0]![0]!;
        for (let i = 0; i < reference.length; i++) expect(Math.abs(dwValues[i]! - reference[i]!)).toBeLessThan(1e-3 * (1 + Math.abs(reference[i]!)));
      }
    }
    // Bit for bit: no result depends on which thread took which tile.
    const [one, three] = results as [Float32Array[], Float32Array[]];
    for (const [i, values] of three.entries()) expect(Array.from(values), `result ${i}`).toEqual(Array.from(one[i]!));
  });

  it('runs on one thread when no helper can start (no spawnHelper)', () => {
    const pool = new KernelPool(sharedBackend(), { modules: kernelModules(), threads: 4 });
    pools.push(pool);
    expect(pool.threadsWanted).toBe(1);
    expect(pool.threads).toBe(1);
  });
});
