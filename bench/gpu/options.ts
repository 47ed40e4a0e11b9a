// Command-line options of bench-gpu.mjs (the packed benchmark), and its --help text.

export interface BenchOptions {
  sizes: number[];
  batch: number;
  classes: number;
  /** Timed training steps per run. */
  steps: number;
  /** Untimed training steps (and one untimed validation pass) before the timed runs. */
  warmup: number;
  /** Timed runs per engine and size; the figures are their medians. */
  runs: number;
  /** Timed inference batches per run. */
  inferenceBatches: number;
  /** Python with PyTorch; default: the first of python3, python, /usr/bin/python3 that imports torch. */
  python: string | null;
  pytorch: boolean;
  /** PyTorch's CPU threads; 0: every logical core. */
  torchThreads: number;
  /** PyTorch's device: auto (CUDA when available), cuda or cpu. */
  torchDevice: 'auto' | 'cuda' | 'cpu';
  /** Flags for Dawn's create(), e.g. "backend=vulkan", "adapter=NVIDIA …". */
  dawnFlags: string[];
  help: boolean;
}

export const DEFAULTS: BenchOptions = {
  sizes: [28, 64, 150],
  batch: 32,
  classes: 2,
  steps: 20,
  warmup: 2,
  runs: 3,
  inferenceBatches: 20,
  python: null,
  pytorch: true,
  torchThreads: 0,
  torchDevice: 'auto',
  dawnFlags: [],
  help: false,
};

/** --quick: enough to see that everything runs (a test's setting), not a measurement. */
export const QUICK = { sizes: [28], steps: 1, warmup: 0, runs: 1, inferenceBatches: 1 } as const;

export const USAGE = `bench-gpu.mjs: Pawprint's training core (the reference convnet, tfjs) on WebGPU through
Dawn (dawn.node), next to PyTorch on the same machine. Prints one JSON line per figure.

  node bench-gpu.mjs [options]

  --sizes 28,64,150     image sizes (pixels a side)
  --steps N             timed training steps per run (default ${DEFAULTS.steps})
  --inference-batches N timed inference batches per run (default ${DEFAULTS.inferenceBatches})
  --warmup N            untimed training steps first (default ${DEFAULTS.warmup})
  --runs N              timed runs; figures are medians (default ${DEFAULTS.runs})
  --batch N             batch size (default ${DEFAULTS.batch})
  --classes N           output classes (default ${DEFAULTS.classes})
  --quick               a smoke test: size 28, 1 step, no warm-up, 1 run, 1 inference
                        batch (options given explicitly win)
  --python PATH         Python with PyTorch (default: the first of python3, python,
                        /usr/bin/python3 that imports torch)
  --torch-threads N     PyTorch CPU threads (default: every logical core)
  --torch-device D      auto (CUDA when available), cuda or cpu (default auto)
  --no-pytorch          tfjs only
  --dawn-flag FLAG      passed to Dawn's create(), repeatable: e.g. backend=vulkan,
                        adapter=NAME (a wrong name lists the adapters)
  --help`;

function positiveInteger(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${name} needs a whole number of at least 1 (got ${value ?? 'nothing'})`);
  return n;
}

/** Parses argv (without node and the script); throws with a message for the user on a bad option. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const options: BenchOptions = { ...DEFAULTS, sizes: [...DEFAULTS.sizes], dawnFlags: [] };
  let quick = false;
  const explicit = new Set<string>();
  for (let i = 0; i < argv.length; i++) {
    let arg = argv[i]!;
    let value: string | undefined;
    const eq = arg.indexOf('=');
    if (arg.startsWith('--') && eq > 0) {
      value = arg.slice(eq + 1);
      arg = arg.slice(0, eq);
    }
    const next = () => value ?? argv[++i];
    explicit.add(arg);
    switch (arg) {
      case '--sizes': {
        const text = next() ?? '';
        options.sizes = text.split(',').map((s) => positiveInteger('--sizes', s.trim()));
        if (options.sizes.some((s) => s < 22)) throw new Error('--sizes: the reference convnet needs at least 22 pixels a side');
        break;
      }
      case '--steps': options.steps = positiveInteger(arg, next()); break;
      case '--inference-batches': options.inferenceBatches = positiveInteger(arg, next()); break;
      case '--warmup': {
        const n = Number(next());
        if (!Number.isInteger(n) || n < 0) throw new Error('--warmup needs a whole number');
        options.warmup = n;
        break;
      }
      case '--runs': options.runs = positiveInteger(arg, next()); break;
      case '--batch': options.batch = positiveInteger(arg, next()); break;
      case '--classes': options.classes = positiveInteger(arg, next()); break;
      case '--quick': quick = true; break;
      case '--python': options.python = next() ?? null; break;
      case '--torch-threads': options.torchThreads = positiveInteger(arg, next()); break;
      case '--torch-device': {
        const device = next();
        if (device !== 'auto' && device !== 'cuda' && device !== 'cpu') throw new Error('--torch-device is auto, cuda or cpu');
        options.torchDevice = device;
        break;
      }
      case '--no-pytorch': options.pytorch = false; break;
      case '--dawn-flag': options.dawnFlags.push(next() ?? ''); break;
      case '--help': case '-h': options.help = true; break;
      default: throw new Error(`unknown option ${arg} (see --help)`);
    }
  }
  if (options.classes < 2) throw new Error('--classes needs at least 2');
  if (quick) {
    // --quick sets what was not given explicitly.
    if (!explicit.has('--sizes')) options.sizes = [...QUICK.sizes];
    if (!explicit.has('--steps')) options.steps = QUICK.steps;
    if (!explicit.has('--warmup')) options.warmup = QUICK.warmup;
    if (!explicit.has('--runs')) options.runs = QUICK.runs;
    if (!explicit.has('--inference-batches')) options.inferenceBatches = QUICK.inferenceBatches;
  }
  return options;
}
