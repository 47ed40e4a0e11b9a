import { describe, expect, it } from 'vitest';
import { chooseWasmThreads, describeWasmThreads } from '../../src/core/runs/wasm-threads';

describe('WASM threads: the choice and what the page says', () => {
  it('keeps every core unless one thread measured faster', () => {
    expect(chooseWasmThreads(4, { one: 300, all: 900 })).toBe(4);
    expect(chooseWasmThreads(4, { one: 300, all: 300 })).toBe(4);
    expect(chooseWasmThreads(2, { one: 310, all: 290 })).toBe(1);
  });

  it('says how many threads, and why only one', () => {
    expect(describeWasmThreads({ threads: 2, isolated: true, cores: 2 })).toBe('SIMD, 2 threads');
    expect(describeWasmThreads({ threads: 1, isolated: true, cores: 1 })).toBe('SIMD, one thread');
    expect(describeWasmThreads({ threads: 1, isolated: false, cores: 8 })).toBe(
      'SIMD, one thread: this page is not cross-origin isolated, so WebAssembly cannot share memory with more threads',
    );
  });

  it('gives the measured speed-up, or says the two were about as fast', () => {
    expect(describeWasmThreads({ threads: 4, isolated: true, cores: 4, measured: { one: 200, all: 700 } })).toBe('SIMD, 4 threads, 3.5× faster here than one thread');
    expect(describeWasmThreads({ threads: 2, isolated: true, cores: 2, measured: { one: 500, all: 510 } })).toBe('SIMD, 2 threads, about as fast here as one thread');
    expect(describeWasmThreads({ threads: 1, isolated: true, cores: 2, measured: { one: 600, all: 400 } })).toBe('SIMD, one thread, 1.5× faster here than 2 threads');
  });
});
