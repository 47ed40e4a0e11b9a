import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildKernels, clangVersion, KERNELS_DIR, VARIANTS } from '../../scripts/build-kernels.mjs';

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
  }, 60_000);
});
