import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/setup.ts'],
          // Unit tests first, then the browser ones: the browser tests measure main-thread
          // long tasks, which CPU-heavy unit tests running alongside would distort.
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          // The WASM kernels again, on their fused multiply-add builds (relaxed SIMD: Chromium
          // has it; Node 20 only behind this flag).
          name: 'unit-fma',
          include: ['test/unit/train-wasm-kernels.test.ts', 'test/unit/train-kernel-pool.test.ts'],
          environment: 'node',
          setupFiles: ['test/unit/setup.ts'],
          execArgv: ['--experimental-wasm-relaxed-simd'],
          env: { PAWPRINT_KERNELS: 'fma' },
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'browser',
          include: ['test/browser/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/browser/global-setup.ts'],
          sequence: { groupOrder: 1 },
          // One Chromium at a time: the machine has 2 cores.
          fileParallelism: false,
          testTimeout: 120_000,
          hookTimeout: 180_000,
        },
      },
    ],
  },
});
