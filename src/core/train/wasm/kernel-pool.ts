import { backendMemory, type WasmBackend } from './wasm-backend';

/** kernels.c's exports (pool_wait and pool_stop only in the threaded build). */
interface KernelExports {
  pool_run(ctl: number): void;
  sum_groups(partials: number, groups: number, length: number, dst: number): void;
  transpose(src: number, rows: number, cols: number, dst: number): void;
  pool_stop?(ctl: number): void;
}

/** The jobs kernels.c runs (its JOB_* values). */
export const JOB = { conv: 1, filterGrad: 2, inputGrad: 3, matmul: 4, columnSum: 5, maxPoolGrad: 6, biasAdd: 7, relu: 8, reluGrad: 9, adam: 10, maxPool: 11, depthwise: 12, clip: 13, batchNorm: 14, pad: 15 } as const;
export type Job = (typeof JOB)[keyof typeof JOB];

/** kernels.c's control block layout (CTL_*), in int32 words. */
const CTL = { tiles: 2, threads: 4, kind: 5, args: 8, scratch: 32, ready: 64, words: 96 } as const;
const MAX_ARGS = 24;
/** The control block has room for this many threads' scratch pointers. */
export const MAX_THREADS = 32;

/** The builds of kernels.c, compiled (scripts/build-kernels.mjs). */
export interface KernelModules {
  /** kernels.wasm: imports an unshared memory. */
  single: WebAssembly.Module;
  /** kernels-threads.wasm: imports a shared memory, has pool_wait. */
  threaded: WebAssembly.Module;
  /** The same with relaxed SIMD's fused multiply-add, where the engine has it (preferred). */
  singleFma?: WebAssembly.Module;
  threadedFma?: WebAssembly.Module;
}

/** What a helper thread needs to join the pool: instantiate `module` on `memory`, then call pool_wait(ctl, thread). */
export interface HelperInit {
  module: WebAssembly.Module;
  memory: WebAssembly.Memory;
  ctl: number;
  thread: number;
}

/** Starts a helper thread (a worker in the browser); the pool terminates it when disposed. */
export type SpawnHelper = (init: HelperInit) => { terminate(): void };

export interface PoolOptions {
  modules: KernelModules;
  /** Threads to compute on, the caller's included; more than one needs tfjs' threaded build and spawnHelper. */
  threads: number;
  spawnHelper?: SpawnHelper;
}

/**
 * kernels.c instantiated on one wasm backend's memory, with its thread pool: the caller's
 * thread plus helpers that wait in pool_wait. Helpers start asynchronously; a job runs on the
 * caller and every helper ready by then. Scratch buffers (one per thread, on tfjs' heap) grow to
 * the largest job seen and are kept.
 */
export class KernelPool {
  private readonly exports: KernelExports;
  private readonly memory: WebAssembly.Memory;
  private readonly ctl: number;
  private readonly wanted: number;
  private readonly helpers: { terminate(): void }[] = [];
  private scratch: number[] = [];
  private scratchFloats = 0;
  private partials = 0;
  private partialFloats = 0;
  private limit = MAX_THREADS;
  /** Whether the GEMMs use relaxed SIMD's fused multiply-add. */
  readonly fusedMultiplyAdd: boolean;

  constructor(
    private readonly backend: WasmBackend,
    { modules, threads, spawnHelper }: PoolOptions,
  ) {
    this.memory = backendMemory(backend);
    const shared = typeof SharedArrayBuffer !== 'undefined' && this.memory.buffer instanceof SharedArrayBuffer;
    const module = shared ? (modules.threadedFma ?? modules.threaded) : (modules.singleFma ?? modules.single);
    this.fusedMultiplyAdd = module === modules.threadedFma || module === modules.singleFma;
    this.exports = new WebAssembly.Instance(module, { env: { memory: this.memory } }).exports as unknown as KernelExports;
    this.ctl = backend.wasm._malloc(CTL.words * 4);
    this.words().fill(0);
    this.wanted = shared && spawnHelper ? Math.max(1, Math.min(MAX_THREADS, Math.floor(threads))) : 1;
    for (let thread = 1; thread < this.wanted; thread++) {
      this.helpers.push(spawnHelper!({ module, memory: this.memory, ctl: this.ctl, thread }));
    }
  }

  /** Threads a job runs on now: the caller and the helpers 1 .. n - 1 that are all ready, up to the limit. */
  get threads(): number {
    const words = this.words();
    const most = Math.min(this.wanted, this.limit);
    let threads = 1;
    while (threads < most && Atomics.load(words, CTL.ready + threads) === 1) threads++;
    return threads;
  }

  /** Runs later jobs on at most `threads` threads (at least one), e.g. to measure what more threads bring. */
  limitThreads(threads: number): void {
    this.limit = Math.max(1, Math.floor(threads));
  }

  /** Resolves once every helper asked for is ready to take tiles (or at once without helpers). */
  async whenReady(signal?: AbortSignal): Promise<void> {
    const words = () => this.words();
    for (let thread = 1; thread < this.wanted; thread++) {
      while (Atomics.load(words(), CTL.ready + thread) !== 1) {
        signal?.throwIfAborted();
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
  }

  /** Threads asked for (what `threads` reaches once every helper has started). */
  get threadsWanted(): number {
    return this.wanted;
  }

  /**
   * Runs `job` over `tiles` tiles with `args` (kernels.c's argument words: sizes and heap offsets)
   * and, per thread, a scratch buffer of at least `scratchFloats` floats. Returns when every tile is done.
   */
  run(job: Job, args: readonly number[], tiles: number, scratchFloats = 0): void {
    if (args.length > MAX_ARGS) throw new Error(`A kernel job takes at most ${MAX_ARGS} arguments.`);
    if (tiles <= 0) return;
    const threads = this.threads;
    this.ensureScratch(scratchFloats);
    const words = this.words();
    words[CTL.kind] = job;
    words[CTL.tiles] = tiles;
    words[CTL.threads] = threads;
    words.set(args, CTL.args);
    for (let thread = 0; thread < threads; thread++) words[CTL.scratch + thread] = this.scratch[thread] ?? 0;
    this.exports.pool_run(this.ctl);
  }

  /**
   * A buffer for `groups` partial sums of `length` floats, reused by later jobs: jobs that reduce
   * (weight gradients, bias gradients) sum each group of tiles into its own partial, then
   * `sumGroups` adds them in group order, so the result never depends on which thread took what.
   */
  partialsFor(groups: number, length: number): number {
    const floats = groups * length;
    if (floats > this.partialFloats) {
      if (this.partials) this.backend.wasm._free(this.partials);
      this.partials = this.backend.wasm._malloc(floats * 4);
      this.partialFloats = floats;
    }
    return this.partials;
  }

  /** dst = the sum, in group order, of the `groups` partials of `length` floats at `partials`. */
  sumGroups(partials: number, groups: number, length: number, dst: number): void {
    this.exports.sum_groups(partials, groups, length, dst);
  }

  /** dst[cols × rows] = src[rows × cols]ᵀ (byte offsets on the heap). */
  transpose(src: number, rows: number, cols: number, dst: number): void {
    this.exports.transpose(src, rows, cols, dst);
  }

  /** Stops the helpers and frees the control block and scratch. */
  dispose(): void {
    this.exports.pool_stop?.(this.ctl);
    for (const helper of this.helpers) helper.terminate();
    for (const offset of [...this.scratch, this.partials]) if (offset) this.backend.wasm._free(offset);
    this.backend.wasm._free(this.ctl);
    this.scratch = [];
    this.partials = 0;
  }

  /** A fresh view: the heap's buffer changes when tfjs grows it. */
  private words(): Int32Array {
    return new Int32Array(this.memory.buffer, this.ctl, CTL.words);
  }

  private ensureScratch(floats: number): void {
    if (floats <= this.scratchFloats && this.scratch.length >= this.wanted) return;
    const size = Math.max(floats, this.scratchFloats);
    for (const offset of this.scratch) this.backend.wasm._free(offset);
    // All threads' buffers, even of helpers not ready yet: they may join before the next job.
    this.scratch = Array.from({ length: this.wanted }, () => this.backend.wasm._malloc(size * 4));
    this.scratchFloats = size;
  }
}
