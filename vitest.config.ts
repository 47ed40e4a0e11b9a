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
          // A cap against hangs, not a speed target: tests that train, export or run Python take
          // seconds, and 10-30x longer on a 2-core machine running a CPU hog and other suites
          // (a 30 s cap failed three training tests there). No test sets a tighter one.
          testTimeout: 600_000,
          hookTimeout: 600_000,
          // Unit tests first, then the browser ones: the two do not share the machine's two cores.
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
          testTimeout: 600_000,
          hookTimeout: 600_000,
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
          // Caps against a hang, not speed targets: every wait inside is for a state the page
          // reaches (test/browser/fixtures.ts, HANG), and a loaded machine only makes it slower.
          testTimeout: 1_200_000,
          hookTimeout: 600_000,
          // expect.poll waits for a state the page reaches; its budget only caps a hang (vitest's
          // default, 1 s, failed tests whenever a loaded machine made the page slower).
          expect: { poll: { timeout: 60_000 } },
        },
      },
      {
        test: {
          name: 'bench',
          include: ['test/bench/**/*.test.ts'],
          environment: 'node',
          // Last and alone: the packed bench:gpu runs WebGPU on SwiftShader, which keeps both
          // cores busy for a minute or more and would slow the other projects' tests.
          sequence: { groupOrder: 2 },
          fileParallelism: false,
          testTimeout: 600_000,
          hookTimeout: 600_000,
        },
      },
    ],
  },
});
