// bench-gpu.mjs's entry (bundled by bench/gpu/pack.mjs): Pawprint's training core on
// tfjs-backend-webgpu through Dawn's Node addon, next to PyTorch on the same machine, at each
// image size; one JSON line per figure on stdout (see figures.ts), progress on stderr.
import { readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { machineInfo } from '../lib/machine.mjs';
import { describeGpuAdapter } from './adapter';
import { installWebGpu, uninstallWebGpu } from './dawn';
import { PYTORCH, TFJS, engineLines, ratioLines, type Line } from './figures';
import { USAGE, parseOptions, type BenchOptions } from './options';
import { PYTHON_CANDIDATES, findPython, runPytorch, type Python } from './pytorch';
import { measureTfjs } from './tfjs-bench';

/** What pack.mjs recorded about the folder (versions, commit), if it is there. */
function packInfo(): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(join(dirname(fileURLToPath(import.meta.url)), 'pack-info.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return {};
  }
}

const load = () => Math.round(loadavg()[0]! * 100) / 100;
const progress = (text: string) => process.stderr.write(`bench-gpu: ${text}\n`);
const message = (error: unknown) => (error instanceof Error ? error.message : String(error));

async function run(options: BenchOptions, emit: (line: Line) => void): Promise<number> {
  let failures = 0;
  const fail = (engine: string, error: unknown, size?: number) => {
    failures += 1;
    emit({ figure: 'error', engine, ...(size === undefined ? {} : { size }), message: message(error) });
  };
  const m = machineInfo();
  emit({ figure: 'machine', cores: m.cores, cpu: m.cpuModel, ramGiB: m.ramGiB, os: m.os, node: m.node, load: loadavg().map((x) => Math.round(x * 100) / 100) });

  const info = packInfo();
  const gpu = installWebGpu(options.dawnFlags);
  const adapter = await describeGpuAdapter(gpu);
  let tfjsReady = false;
  if (!adapter) {
    fail(TFJS, new Error('Dawn found no WebGPU adapter on this machine (no GPU driver, or no Vulkan/Metal/D3D12 loader)'));
  } else {
    emit({ figure: 'adapter', engine: TFJS, ...adapter, tfjs: tf.version.tfjs, webgpu: info.webgpu ?? null });
    progress(`adapter: ${adapter.label}`);
    // Only now: tfjs-backend-webgpu registers itself only if navigator.gpu exists when it loads.
    await import('@tensorflow/tfjs-backend-webgpu');
    try {
      tfjsReady = (await tf.setBackend('webgpu')) && tf.getBackend() === 'webgpu';
      if (!tfjsReady) fail(TFJS, new Error('tfjs could not start its webgpu backend'));
    } catch (error) {
      fail(TFJS, error);
    }
  }

  let python: Python | null = null;
  if (options.pytorch) {
    const found = findPython(options.python ? [options.python] : PYTHON_CANDIDATES);
    if (found instanceof Error) fail(PYTORCH, found);
    else {
      python = found;
      emit({ figure: 'pytorch', engine: PYTORCH, python: found.path, torch: found.torch });
    }
  }

  const counts = { steps: options.steps, warmup: options.warmup, runs: options.runs, inferenceBatches: options.inferenceBatches };
  for (const size of options.sizes) {
    const shape = { size, batch: options.batch, classes: options.classes };
    const common = { size, batch: options.batch, classes: options.classes, steps: options.steps, inference_batches: options.inferenceBatches };
    let tfjsLines: Line[] | null = null;
    if (tfjsReady && adapter) {
      progress(`tfjs-webgpu ${size} px…`);
      const started = performance.now();
      try {
        const runs = await measureTfjs(shape, counts);
        progress(`tfjs-webgpu ${size} px: ${((performance.now() - started) / 1000).toFixed(1)} s`);
        tfjsLines = engineLines(TFJS, { ...common, load: load(), adapter: adapter.label, isFallbackAdapter: adapter.isFallbackAdapter }, runs);
        tfjsLines.forEach(emit);
      } catch (error) {
        fail(TFJS, error, size);
      }
    }
    if (python) {
      progress(`PyTorch ${size} px…`);
      const started = performance.now();
      const args = ['--size', size, '--batch', options.batch, '--classes', options.classes, '--steps', options.steps, '--warmup', options.warmup, '--runs', options.runs, '--inference-batches', options.inferenceBatches, '--device', options.torchDevice, '--threads', options.torchThreads].map(String);
      try {
        const t = await runPytorch(python, args);
        progress(`PyTorch ${size} px: ${((performance.now() - started) / 1000).toFixed(1)} s`);
        const runs = t.runs.map((r) => ({ train: r.train_images_per_second, inference: r.inference_images_per_second }));
        const torchLines = engineLines(PYTORCH, { ...common, load: load(), device: t.device, device_name: t.device_name, cuda_available: t.cuda_available, threads: t.threads, torch: t.torch }, runs);
        torchLines.forEach(emit);
        if (tfjsLines) ratioLines(size, tfjsLines, torchLines, t.device).forEach(emit);
      } catch (error) {
        fail(PYTORCH, error, size);
      }
    }
  }
  return failures;
}

async function main(): Promise<number> {
  // stdout carries JSON lines only: anything tfjs logs goes to stderr.
  console.log = console.info = (...args: unknown[]) => console.error(...args);
  let options: BenchOptions;
  try {
    options = parseOptions(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`bench-gpu: ${message(error)}\n\n${USAGE}\n`);
    return 2;
  }
  if (options.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const emit = (line: Line) => process.stdout.write(`${JSON.stringify(line)}\n`);
  let failures: number;
  try {
    failures = await run(options, emit);
  } catch (error) {
    emit({ figure: 'error', engine: TFJS, message: message(error) });
    failures = 1;
  }
  uninstallWebGpu();
  return failures > 0 ? 1 : 0;
}

const code = await main();
// Dawn's threads may keep the process alive after navigator.gpu is gone: exit once stdout is out.
process.stdout.write('', () => process.exit(code));
