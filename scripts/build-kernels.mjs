#!/usr/bin/env node
// Builds Pawprint's WebAssembly training kernels from src/core/train/wasm/kernels.c with Debian's
// clang and wasm-ld (packages clang and lld; wasm-objdump from wabt checks the result):
//   kernels.wasm               one thread, imports tfjs-backend-wasm's (unshared) memory
//   kernels-threads.wasm       atomics, imports the threaded build's shared memory
//   kernels-fma.wasm, kernels-threads-fma.wasm   the same with relaxed SIMD's fused multiply-add
//                              in the GEMMs, for browsers that have it (the app checks with
//                              WebAssembly.validate and falls back to the others)
// `npm run build:kernels` writes them beside the source, where the app imports them; the built
// files are committed, so `npm install` and the app need no compiler. test/unit/train-kernels-build.test.ts
// rebuilds them into a temporary folder and checks the bytes are the committed ones.
//
// Usage: node scripts/build-kernels.mjs [--out DIR]
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const KERNELS_DIR = join(ROOT, 'src', 'core', 'train', 'wasm');
const SOURCE = join(KERNELS_DIR, 'kernels.c');

const CFLAGS = ['--target=wasm32', '-O3', '-msimd128', '-mbulk-memory', '-nostdlib', '-ffreestanding', '-fno-ident'];

const THREADS = {
  cflags: ['-matomics', '-DTHREADS'],
  // tfjs' threaded build makes its memory shared with a 4 GiB maximum; an import must match it.
  ldflags: ['--shared-memory', '--max-memory=4294967296'],
};
const FMA = ['-mrelaxed-simd', '-DFMA'];

/** @type {{ file: string, cflags: string[], ldflags: string[], fma: boolean }[]} */
export const VARIANTS = [
  { file: 'kernels.wasm', cflags: [], ldflags: [], fma: false },
  { file: 'kernels-threads.wasm', cflags: THREADS.cflags, ldflags: THREADS.ldflags, fma: false },
  { file: 'kernels-fma.wasm', cflags: FMA, ldflags: [], fma: true },
  { file: 'kernels-threads-fma.wasm', cflags: [...THREADS.cflags, ...FMA], ldflags: THREADS.ldflags, fma: true },
];

/** Clang 14's f32x4.fma (relaxed SIMD's prototype opcode) and the final f32x4.relaxed_madd. */
const PROTOTYPE_FMA = Buffer.from([0xfd, 0xaf, 0x01]);
const RELAXED_MADD = Buffer.from([0xfd, 0x85, 0x02]);

/**
 * Rewrites every prototype f32x4.fma opcode to f32x4.relaxed_madd (same length, so nothing else
 * moves), then has wasm-objdump decode the whole module and checks it finds exactly that many
 * relaxed_madd instructions: a byte pattern that was not an opcode (inside an immediate) would
 * not decode as one, and the counts would differ.
 * @param {string} path
 */
function finalizeRelaxedMadd(path) {
  const bytes = readFileSync(path);
  let sites = 0;
  for (let at = bytes.indexOf(PROTOTYPE_FMA); at >= 0; at = bytes.indexOf(PROTOTYPE_FMA, at + PROTOTYPE_FMA.length)) {
    RELAXED_MADD.copy(bytes, at);
    sites++;
  }
  if (sites === 0) throw new Error(`${path}: no fused multiply-add to finalize (is -DFMA reaching kernels.c?)`);
  writeFileSync(path, bytes);
  const decoded = (run('wasm-objdump', ['-d', path]).match(/f32x4\.relaxed_madd/g) ?? []).length;
  if (decoded !== sites) throw new Error(`${path}: rewrote ${sites} opcodes but wasm-objdump decodes ${decoded} relaxed_madd instructions.`);
}

/** @param {string} command @param {string[]} args */
function run(command, args) {
  const result = spawnSync(command, args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (result.error) {
    const code = /** @type {NodeJS.ErrnoException} */ (result.error).code;
    const hint = code === 'ENOENT' ? ` (${command} is not installed: apt-get install clang lld wabt)` : '';
    throw new Error(`${command} failed to start${hint}: ${result.error.message}`);
  }
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed:\n${result.stderr}${result.stdout}`);
  return result.stdout;
}

/**
 * The module must never write outside the buffers it is given, since it shares tfjs' memory: no
 * data segment (it would be copied over tfjs' own data at instantiation) and no stack memory (a
 * frame would live at a fixed address of tfjs' heap). LLVM sometimes gives a large function a
 * frame it then never uses (prologue `global.get 0; i32.const N; i32.sub; local.tee L;
 * global.set 0`, epilogue `local.get L; i32.const N; i32.add; global.set 0`, and L nowhere else):
 * that moves only the module's own stack-pointer global and touches no memory, so it is allowed;
 * any other use of the stack pointer is refused.
 * @param {string} path
 */
export function checkSharesMemorySafely(path) {
  const headers = run('wasm-objdump', ['-h', path]);
  if (/^\s*(Data|DataCount)\s/m.test(headers)) throw new Error(`${path} has a data segment: kernels.c must not use static data.`);
  const code = run('wasm-objdump', ['-d', path]);
  for (const body of code.split(/^[0-9a-f]+ func\[/m).slice(1)) {
    const name = body.slice(0, body.indexOf(':'));
    const ops = body.split('\n').map((line) => line.split('| ')[1]?.replace(/\s*<.*>$/, '').trim()).filter((op) => op && !op.startsWith('local['));
    if (!ops.some((op) => /^global\.(get|set)/.test(op))) continue;
    const unused = ops[0] === 'global.get 0' && /^i32\.const \d+$/.test(ops[1] ?? '') && ops[2] === 'i32.sub' && /^local\.tee \d+$/.test(ops[3] ?? '') && ops[4] === 'global.set 0';
    const local = unused ? String(ops[3]).split(' ')[1] : '';
    const uses = ops.filter((op) => new RegExp(`^local\\.(get|set|tee) ${local}$`).test(op)).length;
    const restores = ops.filter((op, i) => op === `local.get ${local}` && ops[i + 1] === ops[1] && ops[i + 2] === 'i32.add' && ops[i + 3] === 'global.set 0').length;
    const globals = ops.filter((op) => /^global\.(get|set)/.test(op)).length;
    if (!unused || uses !== 1 + restores || globals !== 2 + restores) {
      throw new Error(`${path}: ${name} uses stack memory: a function in kernels.c takes a local's address or passes a struct by pointer.`);
    }
  }
}

/**
 * Builds both variants into `outDir`; returns the paths written.
 * @param {string} outDir
 * @returns {string[]}
 */
export function buildKernels(outDir) {
  const work = mkdtempSync(join(tmpdir(), 'pawprint-kernels-'));
  try {
    return VARIANTS.map(({ file, cflags, ldflags, fma }) => {
      const object = join(work, `${file}.o`);
      const out = join(outDir, file);
      run('clang', [...CFLAGS, ...cflags, '-c', '-o', object, SOURCE]);
      run('wasm-ld', ['--no-entry', '--import-memory', '--strip-all', ...ldflags, '-o', out, object]);
      if (fma) finalizeRelaxedMadd(out);
      checkSharesMemorySafely(out);
      return out;
    });
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/** The compiler's version line, recorded beside the build (the bytes depend on it). */
export function clangVersion() {
  return run('clang', ['--version']).split('\n')[0]?.trim() ?? '';
}

if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const at = process.argv.indexOf('--out');
  const outDir = at > 0 ? resolve(/** @type {string} */ (process.argv[at + 1])) : KERNELS_DIR;
  for (const path of buildKernels(outDir)) console.log(`${path}: ${readFileSync(path).length} bytes`);
  if (outDir === KERNELS_DIR) writeFileSync(join(KERNELS_DIR, 'kernels.clang-version'), `${clangVersion()}\n`);
}
