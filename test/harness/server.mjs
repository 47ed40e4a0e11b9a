// Builds the app once with Vite and serves the build on 127.0.0.1 with `vite preview`.
//
//   const { url, close } = await buildAndServe();
//
// The build runs vite's JS API `build()` in a child Node process with NODE_ENV=production:
// inside vitest NODE_ENV is "test", which would make Vite produce a development bundle
// (Svelte dev mode, process.env.NODE_ENV === "test"), not what `npm run build` ships.
// The child also keeps the bundler's memory out of the test runner (2-core, shared machine).
//
// CLI (used by buildApp itself): node test/harness/server.mjs build <root> <outDir>

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The repository root (two levels above this file). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * @typedef {object} AppOptions
 * @property {string} [root] Project root holding index.html and vite.config.ts (default: the repo).
 * @property {string} [outDir] Where to build (default: $PAWPRINT_HARNESS_DIST, else
 *   <root>/.cache/harness-dist, so `dist/`
 *   of a developer's `npm start` is left alone).
 * @property {boolean} [isolated] false: serve without the cross-origin isolation headers (default true).
 */

/** @param {AppOptions} [options] */
function resolveOptions(options = {}) {
  const root = resolve(options.root ?? REPO_ROOT);
  const outDir = resolve(root, options.outDir ?? process.env.PAWPRINT_HARNESS_DIST ?? join('.cache', 'harness-dist'));
  return { root, outDir };
}

/**
 * `vite build` of the app, in a child process (see the header comment). Rejects with
 * Vite's output when the build fails.
 * @param {AppOptions} [options]
 * @returns {Promise<{ outDir: string, ms: number }>}
 */
export async function buildApp(options = {}) {
  const { root, outDir } = resolveOptions(options);
  const started = Date.now();
  const self = fileURLToPath(import.meta.url);
  const output = await new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [self, 'build', root, outDir], {
      cwd: root,
      env: { ...process.env, NODE_ENV: 'production' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise(text);
      else reject(new Error(`vite build of ${root} failed (exit ${code}):\n${text.trim()}`));
    });
  });
  if (!existsSync(join(outDir, 'index.html'))) {
    throw new Error(`vite build reported success but ${outDir}/index.html is missing:\n${output}`);
  }
  return { outDir, ms: Date.now() - started };
}

/**
 * Serves an already built app with `vite preview` on 127.0.0.1 and a free port.
 * @param {AppOptions} [options]
 * @returns {Promise<{ url: string, close: () => Promise<void> }>} url ends without a slash,
 *   e.g. "http://127.0.0.1:41234".
 */
export async function serveApp(options = {}) {
  const { root, outDir } = resolveOptions(options);
  const { preview } = await import('vite');
  const server = await preview({
    root,
    // isolated: false serves the build as a plain static host would: without vite.config.ts,
    // so without its cross-origin isolation headers.
    ...(options.isolated === false ? { configFile: false } : {}),
    logLevel: 'warn',
    build: { outDir },
    // Port 0: the OS picks a free port; read it back from the listening socket.
    preview: { host: '127.0.0.1', port: 0, strictPort: true, open: false },
  });
  const address = server.httpServer.address();
  if (!address || typeof address === 'string') {
    await server.close();
    throw new Error(`vite preview is not listening on a TCP port (address: ${String(address)})`);
  }
  const url = `http://127.0.0.1:${address.port}`;
  let closed = false;
  return {
    url,
    close: async () => {
      if (closed) return;
      closed = true;
      await server.close();
    },
  };
}

/**
 * Builds once, then serves the build.
 * @param {AppOptions} [options]
 * @returns {Promise<{ url: string, outDir: string, buildMs: number, close: () => Promise<void> }>}
 */
export async function buildAndServe(options = {}) {
  const { outDir, ms } = await buildApp(options);
  const served = await serveApp({ ...options, outDir });
  return { ...served, outDir, buildMs: ms };
}

// CLI: the child side of buildApp().
if (process.argv[1] && pathToFileURL(resolve(process.argv[1])).href === import.meta.url) {
  const [command, root, outDir] = process.argv.slice(2);
  if (command !== 'build' || !root || !outDir) {
    console.error('usage: node test/harness/server.mjs build <root> <outDir>');
    process.exit(2);
  }
  const { build } = await import('vite');
  try {
    await build({ root, logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  } catch (err) {
    console.error(err instanceof Error ? (err.stack ?? err.message) : String(err));
    process.exit(1);
  }
}
