// `npm run bench:gpu -- --pack [dir]`: a folder that runs bench:gpu with a plain `node` ≥ 20 and
// no npm, on a machine with a GPU:
//   bench-gpu.mjs         bench/gpu/main.ts bundled by rolldown: tfjs, tfjs-backend-webgpu,
//                         src/core/train (as it is) and the benchmark, one ES module
//   dawn/<platform>/      dawn.node from the npm package `webgpu` (+ the DLLs its Windows builds
//                         need beside it) and the package's LICENSE.md
//   pytorch_bench.py      PyTorch's side (needs only torch)
//   pack-info.json        versions, commit, platform
//   README.txt            how to run it and what it prints (bench/gpu/README.txt)
// One Dawn build per folder: linux-x64's dawn.node is 20.5 MiB, so two builds would not fit the
// 40 MiB budget. Packs: linux-x64 24.0 MiB, linux-arm64 22.3, darwin-universal 24.4, win32-x64
// 36.2 (dawn.node + dxcompiler.dll + d3dcompiler_47.dll); win32-arm64 would be 41.8 and is refused.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rolldown } from 'rolldown';

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..');
const require = createRequire(import.meta.url);

/** The pack must stay under this (the issue's budget). */
export const PACK_LIMIT_BYTES = 40 * 2 ** 20;

/** The Dawn build name (as the `webgpu` package's dist/ folders) for this machine. */
export function hostPlatform() {
  return process.platform === 'darwin' ? 'darwin-universal' : `${process.platform}-${process.arch}`;
}

function webgpuPackageDir() {
  return dirname(require.resolve('webgpu/package.json'));
}

/** The Dawn builds the installed `webgpu` package ships. */
export function dawnPlatforms() {
  return readdirSync(join(webgpuPackageDir(), 'dist')).sort();
}

/** Every file under `dir` with its size. @param {string} dir @returns {{ path: string, bytes: number }[]} */
function filesUnder(dir) {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(dir, path), bytes: statSync(path).size };
    })
    .sort((a, b) => a.path.localeCompare(b.path));
}

function gitCommit() {
  try {
    const commit = execFileSync('git', ['rev-parse', 'HEAD'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim() !== '';
    return dirty ? `${commit} (with uncommitted changes)` : commit;
  } catch {
    return null;
  }
}

/** The bundle: main.ts and everything it imports, in one ES module for Node. @param {string} file */
async function bundle(file) {
  const build = await rolldown({
    input: join(HERE, 'main.ts'),
    platform: 'node',
    tsconfig: join(ROOT, 'tsconfig.node.json'),
    logLevel: 'warn',
    // tfjs' browser-only fetch/crypto shims: never reached in Node, left as they are.
    onLog(level, log, handler) {
      if (log.code === 'EVAL' || log.code === 'CIRCULAR_DEPENDENCY') return;
      handler(level, log);
    },
  });
  try {
    await build.write({ file, format: 'esm', codeSplitting: false, minify: true, comments: { legal: true } });
  } finally {
    await build.close();
  }
}

/**
 * Writes the folder and returns what is in it. Throws when it would not fit the budget.
 * @param {string} dir created (emptied if it exists)
 * @param {{ platform?: string }} [options] the Dawn build to include (default: this machine's)
 */
export async function pack(dir, { platform = hostPlatform() } = {}) {
  const dawnSource = join(webgpuPackageDir(), 'dist', platform);
  if (!existsSync(join(dawnSource, 'dawn.node'))) {
    throw new Error(`the webgpu package has no Dawn build for ${platform}; it has: ${dawnPlatforms().join(', ')}`);
  }
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'dawn', platform), { recursive: true });

  await bundle(join(dir, 'bench-gpu.mjs'));
  for (const name of readdirSync(dawnSource)) copyFileSync(join(dawnSource, name), join(dir, 'dawn', platform, name));
  copyFileSync(join(webgpuPackageDir(), 'LICENSE.md'), join(dir, 'dawn', 'LICENSE.md'));
  copyFileSync(join(HERE, 'pytorch_bench.py'), join(dir, 'pytorch_bench.py'));
  copyFileSync(join(HERE, 'README.txt'), join(dir, 'README.txt'));
  const version = (/** @type {string} */ name) => JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
  const info = {
    format: 'pawprint-bench-gpu',
    platform,
    webgpu: version('webgpu'),
    tfjs: version('@tensorflow/tfjs'),
    'tfjs-backend-webgpu': version('@tensorflow/tfjs-backend-webgpu'),
    commit: gitCommit(),
    packedAt: new Date().toISOString(),
    node: '>=20',
  };
  writeFileSync(join(dir, 'pack-info.json'), `${JSON.stringify(info, null, 2)}\n`);

  const files = filesUnder(dir);
  const bytes = files.reduce((sum, f) => sum + f.bytes, 0);
  if (bytes >= PACK_LIMIT_BYTES) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`the pack is ${(bytes / 2 ** 20).toFixed(1)} MiB, over the ${PACK_LIMIT_BYTES / 2 ** 20} MiB budget: ${files.map((f) => `${f.path} ${(f.bytes / 2 ** 20).toFixed(1)} MiB`).join(', ')}`);
  }
  return { dir, platform, bytes, files, info };
}
