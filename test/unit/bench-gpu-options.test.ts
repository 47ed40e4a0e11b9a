// bench-gpu.mjs's options (bench/gpu/options.ts): defaults, --quick, explicit values winning.
import { describe, expect, it } from 'vitest';
import { DEFAULTS, QUICK, parseOptions } from '../../bench/gpu/options';

describe('bench:gpu options', () => {
  it('defaults to the three sizes, batch 32, 2 classes, 3 runs', () => {
    expect(parseOptions([])).toEqual(DEFAULTS);
    expect(DEFAULTS).toMatchObject({ sizes: [28, 64, 150], batch: 32, classes: 2, runs: 3, pytorch: true });
  });

  it('--quick makes a smoke test, and options given explicitly win in any order', () => {
    expect(parseOptions(['--quick'])).toMatchObject({ ...QUICK, sizes: [28] });
    expect(parseOptions(['--steps', '3', '--quick', '--sizes=28,64'])).toMatchObject({ sizes: [28, 64], steps: 3, warmup: 0, runs: 1 });
  });

  it('reads every option', () => {
    const o = parseOptions(['--sizes', '64', '--steps=5', '--inference-batches', '7', '--warmup', '0', '--runs', '2', '--batch', '16', '--classes', '3',
      '--python', '/opt/py', '--torch-threads', '4', '--torch-device', 'cpu', '--no-pytorch', '--dawn-flag', 'backend=vulkan', '--dawn-flag', 'adapter=x']);
    expect(o).toEqual({ sizes: [64], steps: 5, inferenceBatches: 7, warmup: 0, runs: 2, batch: 16, classes: 3, python: '/opt/py', torchThreads: 4,
      torchDevice: 'cpu', pytorch: false, dawnFlags: ['backend=vulkan', 'adapter=x'], help: false });
  });

  it('refuses what it cannot run, saying why', () => {
    expect(() => parseOptions(['--sizes', '16'])).toThrow(/at least 22 pixels/);
    expect(() => parseOptions(['--steps', '0'])).toThrow(/--steps needs a whole number/);
    expect(() => parseOptions(['--classes', '1'])).toThrow(/at least 2/);
    expect(() => parseOptions(['--torch-device', 'tpu'])).toThrow(/auto, cuda or cpu/);
    expect(() => parseOptions(['--fast'])).toThrow(/unknown option --fast/);
  });
});
