#!/usr/bin/env node
// `npm run bench:gpu [-- options]`
//
//   --pack [dir]      write the self-contained folder (bench/gpu/pack.mjs; default dir
//                     ./pawprint-bench-gpu) and stop; copy it to a machine with a GPU and run
//                     `node bench-gpu.mjs` there (its README.txt says how)
//   --platform NAME   with --pack: the Dawn build to include (linux-x64, linux-arm64,
//                     darwin-universal, win32-x64; default: this machine's)
//   anything else     passed to bench-gpu.mjs (--sizes, --steps, --runs, … ; see its --help)
//
// Without --pack: packs into .cache/bench-gpu, runs that very folder here on SwiftShader (this
// machine has no GPU) and writes the `gpu` section of BENCHMARKS.md, labelled as a software
// adapter run. SwiftShader needs ~100 s a training step at 64 px on this 2-core machine, so the
// run here takes 1 timed step and 1 inference batch per run (3 runs, medians) unless told
// otherwise; the GPU machine's defaults are bench-gpu.mjs's own (20 + 20, 3 runs).
import { spawn } from 'node:child_process';
import { loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from '../../test/harness/server.mjs';
import { machineLine, today } from '../lib/machine.mjs';
import { writeSection } from '../lib/report.mjs';
import { gpuReport } from './report.mjs';
import { hostPlatform, pack } from './pack.mjs';
import { swiftshaderEnv } from './swiftshader.mjs';

/** What the run here passes to bench-gpu.mjs before the user's own options (which win). */
export const SWIFTSHADER_COUNTS = ['--steps', '1', '--inference-batches', '1', '--warmup', '1', '--runs', '3'];

const log = (/** @type {string} */ text) => console.log(`bench:gpu: ${text}`);

const HELP = `npm run bench:gpu [-- options]
  --pack [dir]     write the folder to run on a GPU machine (default ./pawprint-bench-gpu)
  --platform NAME  with --pack: linux-x64, linux-arm64, darwin-universal or win32-x64
                   (default: this machine's)
Without --pack: runs it here on SwiftShader and writes BENCHMARKS.md's gpu section; other
options go to bench-gpu.mjs (node bench-gpu.mjs --help in a packed folder lists them).`;

/**
 * Runs a packed folder's bench-gpu.mjs with `args`, echoing its progress, and returns its JSON
 * lines and exit status.
 * @param {string} dir @param {string[]} args @param {NodeJS.ProcessEnv} env
 * @returns {Promise<{ code: number | null, lines: any[], stderr: string }>}
 */
export function runPacked(dir, args, env) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [join(dir, 'bench-gpu.mjs'), ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    /** @type {any[]} */
    const lines = [];
    let pending = '';
    let stderr = '';
    child.stdout.on('data', (data) => {
      pending += data;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const part of parts) {
        if (!part.trim()) continue;
        console.log(part);
        try {
          lines.push(JSON.parse(part));
        } catch {
          // not a figure (--help's text): shown, not kept
        }
      }
    });
    child.stderr.on('data', (data) => {
      stderr += data;
      process.stderr.write(data);
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (pending.trim()) {
        console.log(pending);
        try {
          lines.push(JSON.parse(pending));
        } catch {
          // not a figure
        }
      }
      resolvePromise({ code, lines, stderr });
    });
  });
}

/**
 * The benchmark here, on SwiftShader, into BENCHMARKS.md.
 * @param {{ runs?: number, args?: string[] }} [options] `runs` as bench/run.mjs's --runs
 */
export async function runGpu(options = {}) {
  const env = swiftshaderEnv();
  const dir = join(REPO_ROOT, '.cache', 'bench-gpu');
  const packed = await pack(dir);
  log(`packed ${dir} (${(packed.bytes / 2 ** 20).toFixed(1)} MiB, Dawn ${packed.platform})`);
  const args = [...SWIFTSHADER_COUNTS, ...(options.runs ? ['--runs', String(options.runs)] : []), ...(options.args ?? [])];
  const started = { date: today(), machine: machineLine(), load: loadavg()[0] ?? NaN, at: Date.now() };
  const { code, lines } = await runPacked(dir, args, env);
  const errors = lines.filter((l) => l.figure === 'error');
  if (code !== 0 || errors.length) {
    throw new Error(`bench-gpu.mjs failed (exit ${code}): ${errors.map((e) => e.message).join('; ') || 'see its output above'}`);
  }
  const section = gpuReport({ ...started, loadEnd: loadavg()[0] ?? NaN, minutes: (Date.now() - started.at) / 60_000, args, lines, packed });
  writeSection('gpu', section);
  console.log(section);
}

/** `npm run bench:gpu -- …`: --pack [dir] [--platform P], or the run here. */
async function main() {
  const argv = process.argv.slice(2);
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(HELP);
    return;
  }
  const at = argv.indexOf('--pack');
  if (at === -1) {
    await runGpu({ args: argv });
    return;
  }
  const rest = [...argv.slice(0, at), ...argv.slice(at + 1)];
  let dir = 'pawprint-bench-gpu';
  if (rest[0] !== undefined && !rest[0].startsWith('--')) dir = /** @type {string} */ (rest.shift());
  let platform = hostPlatform();
  const p = rest.indexOf('--platform');
  if (p !== -1) {
    platform = rest[p + 1] ?? '';
    rest.splice(p, 2);
  }
  if (rest.length) throw new Error(`--pack takes a folder and --platform only (got ${rest.join(' ')})`);
  const packed = await pack(resolve(process.env.INIT_CWD ?? process.cwd(), dir), { platform });
  for (const f of packed.files) log(`  ${f.path}  ${(f.bytes / 2 ** 20).toFixed(2)} MiB`);
  log(`wrote ${packed.dir}: ${(packed.bytes / 2 ** 20).toFixed(1)} MiB (limit 40 MiB), Dawn for ${packed.platform}`);
  log(`run it with: node ${join(packed.dir, 'bench-gpu.mjs')} (node >= 20; see README.txt there)`);
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(REPO_ROOT, 'bench', 'gpu', 'run.mjs')) {
  try {
    await main();
  } catch (error) {
    console.error(`bench:gpu: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  }
}
