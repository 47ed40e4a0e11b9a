/** How the WASM backend's threads were settled, for the page's backend line. */
export interface WasmThreads {
  /** Threads training runs on. */
  threads: number;
  /** Whether the page may share memory with workers (cross-origin isolated): without it, one thread. */
  isolated: boolean;
  /** Logical cores the browser reports. */
  cores: number;
  /** Images/s measured on one thread and on all of them, when Auto compared them. */
  measured?: { one: number; all: number };
}

/** "SIMD, 2 threads", "SIMD, one thread: this page is not cross-origin isolated", … */
export function describeWasmThreads({ threads, isolated, cores, measured }: WasmThreads): string {
  if (!isolated) return 'SIMD, one thread: this page is not cross-origin isolated, so WebAssembly cannot share memory with more threads';
  const count = threads === 1 ? 'one thread' : `${threads} threads`;
  if (measured && cores > 1) {
    const [chosen, other] = threads === 1 ? [measured.one, measured.all] : [measured.all, measured.one];
    const otherCount = threads === 1 ? `${cores} threads` : 'one thread';
    const ratio = chosen / other;
    return ratio < 1.05 ? `SIMD, ${count}, about as fast here as ${otherCount}` : `SIMD, ${count}, ${ratio.toFixed(1)}× faster here than ${otherCount}`;
  }
  return `SIMD, ${count}`;
}

/** Auto keeps all threads unless one thread measured faster (a machine busy with other work). */
export function chooseWasmThreads(cores: number, measured: { one: number; all: number }): number {
  return measured.one > measured.all ? 1 : cores;
}
