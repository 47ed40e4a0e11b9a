// PyTorch's side of bench:gpu from Node: finds a Python that imports torch and runs
// pytorch_bench.py (next to the bundle) for one image size.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Tried in this order when --python is not given: a venv's or conda's python3 first, Debian's last. */
export const PYTHON_CANDIDATES = ['python3', 'python', '/usr/bin/python3'];

export interface Python {
  path: string;
  torch: string;
}

/** pytorch_bench.py's JSON object. */
export interface TorchResult {
  torch: string;
  device: string;
  device_name: string;
  cuda_available: boolean;
  threads: number;
  size: number;
  runs: { train_images_per_second: number; inference_images_per_second: number }[];
}

/** The first Python (of `candidates`) that imports torch, or an Error saying what each one answered. */
export function findPython(candidates: readonly string[]): Python | Error {
  const answers: string[] = [];
  for (const path of candidates) {
    const probe = spawnSync(path, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
    if (probe.status === 0) return { path, torch: probe.stdout.trim() };
    const why = probe.error ? probe.error.message : (probe.stderr.trim().split('\n').at(-1) ?? `exit ${probe.status}`);
    answers.push(`${path}: ${why}`);
  }
  return new Error(`no Python with PyTorch found (${answers.join('; ')}); install torch or pass --python PATH`);
}

export function scriptPath(): string {
  const path = join(dirname(fileURLToPath(import.meta.url)), 'pytorch_bench.py');
  if (!existsSync(path)) throw new Error(`${path} is missing: it belongs next to bench-gpu.mjs`);
  return path;
}

/** Runs pytorch_bench.py with `args`; rejects with its stderr when it fails. */
export function runPytorch(python: Python, args: string[]): Promise<TorchResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(python.path, [scriptPath(), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`pytorch_bench.py ${args.join(' ')} failed (exit ${code}): ${err.trim()}`));
      else {
        try {
          resolve(JSON.parse(out) as TorchResult);
        } catch {
          reject(new Error(`pytorch_bench.py printed no JSON: ${out.slice(0, 200)}`));
        }
      }
    });
  });
}
