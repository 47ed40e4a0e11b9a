import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildKernels, checkSharesMemorySafely, clangVersion, KERNELS_DIR, VARIANTS } from '../../scripts/build-kernels.mjs';

describe('the committed WebAssembly kernels', () => {
  it('are what scripts/build-kernels.mjs builds from kernels.c with this clang, byte for byte', () => {
    const recorded = readFileSync(join(KERNELS_DIR, 'kernels.clang-version'), 'utf8').trim();
    expect(clangVersion()).toBe(recorded);
    const out = mkdtempSync(join(tmpdir(), 'pawprint-kernels-test-'));
    try {
      buildKernels(out);
      for (const { file } of VARIANTS as { file: string }[]) {
        expect(readFileSync(join(out, file)).equals(readFileSync(join(KERNELS_DIR, file))), file).toBe(true);
      }
    } finally {
      rmSync(out, { recursive: true, force: true });
    }
  });
});

describe("the build's check that the kernels never touch memory of their own", () => {
  /** Builds a one-function module the way the kernels are built. */
  function build(dir: string, source: string): string {
    writeFileSync(join(dir, 'f.c'), source);
    execFileSync('clang', ['--target=wasm32', '-O3', '-msimd128', '-nostdlib', '-ffreestanding', '-c', '-o', join(dir, 'f.o'), join(dir, 'f.c')]);
    execFileSync('wasm-ld', ['--no-entry', '--import-memory', '--strip-all', '-o', join(dir, 'f.wasm'), join(dir, 'f.o')]);
    return join(dir, 'f.wasm');
  }

  it('refuses a function with a stack frame it reads and writes, and static data; accepts one without', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pawprint-kernels-check-'));
    try {
      const onStack = build(dir, '__attribute__((export_name("f"))) int f(int i, int v) { volatile int a[8]; a[i & 7] = v; return a[(i + 1) & 7]; }');
      expect(() => checkSharesMemorySafely(onStack)).toThrow(/uses stack memory/);
      const withData = build(dir, 'static int table[64] = {1, 2, 3}; __attribute__((export_name("f"))) int f(int i) { return table[i & 63]; }');
      expect(() => checkSharesMemorySafely(withData)).toThrow(/data segment/);
      const clean = build(dir, '__attribute__((export_name("f"))) void f(float* a, int n) { for (int i = 0; i < n; i++) a[i] *= 2.0f; }');
      expect(() => checkSharesMemorySafely(clean)).not.toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
