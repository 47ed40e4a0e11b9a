// The offline service worker's build step: a Vite plugin that builds src/sw/service-worker.ts
// to /sw.js with the exact list of files the build outputs (public/ included) and a cache named
// by a hash of them, so the app works offline after one visit and a new build gets a new cache.
// Plain JavaScript (JSDoc types), like test/harness: Vite warns on every start about
// extensionless TypeScript imports behind its config, which its planned native config loader
// cannot load (src/ imports without extensions).

import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';

/** The service worker's file in the build, at the root so its scope is the whole app. */
export const SERVICE_WORKER_FILE = 'sw.js';

/** Every cache the service worker makes is named with this prefix (and no other cache). */
export const CACHE_PREFIX = 'pawprint-';

const SOURCE = 'src/sw/service-worker.ts';
const PLACEHOLDER = /(["'`])__PAWPRINT_PRECACHE_MANIFEST__\1/g;

/**
 * @typedef {object} BuiltFile One file of the built app.
 * @property {string} path Its path under the build folder, e.g. "assets/index-D3x.js".
 * @property {Uint8Array} bytes
 */

/**
 * @typedef {object} PrecacheManifest What the service worker is built with (src/sw/route.ts).
 * @property {string} cachePrefix CACHE_PREFIX.
 * @property {string} cacheName CACHE_PREFIX + a hash of every cached file's path and bytes.
 * @property {string[]} paths Paths relative to the service worker's scope, sorted.
 */

/**
 * The precache manifest of a build: every file but the service worker (the browser fetches it
 * to look for updates) and source maps. The cache name hashes the lines "<sha256> <path>", so
 * it changes exactly when some cached file does; a rebuild of the same sources keeps it.
 * @param {BuiltFile[]} files
 * @returns {PrecacheManifest}
 */
export function precacheManifest(files) {
  const cached = files.filter((file) => file.path !== SERVICE_WORKER_FILE && !file.path.endsWith('.map'));
  cached.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const digest = createHash('sha256');
  for (const [i, file] of cached.entries()) {
    if (file.path === cached[i - 1]?.path) throw new Error(`The build has two files at ${file.path}.`);
    digest.update(`${createHash('sha256').update(file.bytes).digest('hex')} ${file.path}\n`);
  }
  return {
    cachePrefix: CACHE_PREFIX,
    cacheName: CACHE_PREFIX + digest.digest('hex').slice(0, 16),
    paths: cached.map((file) => file.path),
  };
}

/**
 * The plugins: the service worker in production builds, and on the dev server a /sw.js that
 * removes itself.
 * @returns {import('vite').Plugin[]}
 */
export function serviceWorker() {
  return [buildServiceWorker(), retireOnDevServer()];
}

/** @returns {import('vite').Plugin} */
function buildServiceWorker() {
  /** @type {import('vite').ResolvedConfig} */
  let config;
  return {
    name: 'pawprint:service-worker',
    apply: 'build',
    enforce: 'post',
    configResolved(resolved) {
      config = resolved;
    },
    buildStart() {
      this.emitFile({ type: 'chunk', id: resolve(config.root, SOURCE), fileName: SERVICE_WORKER_FILE });
    },
    generateBundle: {
      // After Vite has emitted index.html and the worker chunks.
      order: 'post',
      handler(_options, bundle) {
        const worker = bundle[SERVICE_WORKER_FILE];
        if (worker?.type !== 'chunk') return this.error(`${SOURCE} was not built to ${SERVICE_WORKER_FILE}.`);
        // A classic script cannot import: a module shared with the app would be split out.
        const imported = [...worker.imports, ...worker.dynamicImports];
        if (imported.length) return this.error(`${SERVICE_WORKER_FILE} must be one script, but imports ${imported.join(', ')}.`);
        const manifest = precacheManifest([...Object.values(bundle).map(builtFile), ...publicFiles(config)]);
        const code = worker.code.replace(PLACEHOLDER, () => JSON.stringify(JSON.stringify(manifest)));
        if (code === worker.code) return this.error(`${SERVICE_WORKER_FILE} lost its manifest placeholder.`);
        worker.code = code;
      },
    },
  };
}

/**
 * @param {import('vite').Rolldown.OutputChunk | import('vite').Rolldown.OutputAsset} output
 * @returns {BuiltFile}
 */
function builtFile(output) {
  const content = output.type === 'chunk' ? output.code : output.source;
  return { path: output.fileName, bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content };
}

/**
 * Files Vite copies from public/ into the build as they are.
 * @param {import('vite').ResolvedConfig} config
 * @returns {BuiltFile[]}
 */
function publicFiles(config) {
  const root = config.publicDir;
  if (!config.build.copyPublicDir || !root || !existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(root, path).split(sep).join('/'), bytes: readFileSync(path) };
    });
}

// `npm start` and `npm run dev` share an origin: a browser that ran the build would keep
// serving it from the cache. Its next update check gets this instead, which drops the
// caches, unregisters and reloads the page from the dev server.
const RETIRING_WORKER = `self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', (event) => event.waitUntil((async () => {
  for (const name of await caches.keys()) if (name.startsWith('${CACHE_PREFIX}')) await caches.delete(name);
  await self.clients.claim();
  await self.registration.unregister();
  for (const client of await self.clients.matchAll({ type: 'window' })) client.navigate(client.url);
})()));
`;

/** @returns {import('vite').Plugin} */
function retireOnDevServer() {
  return {
    name: 'pawprint:service-worker-retire',
    apply: 'serve',
    configureServer(server) {
      server.middlewares.use(`${server.config.base}${SERVICE_WORKER_FILE}`, (_request, response) => {
        response.setHeader('Content-Type', 'text/javascript');
        response.end(RETIRING_WORKER);
      });
    },
  };
}
