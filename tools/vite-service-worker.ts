import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { Plugin, ResolvedConfig, Rolldown } from 'vite';
import { precacheManifest, type BuiltFile } from '../src/sw/precache-manifest';
import { CACHE_PREFIX } from '../src/sw/route';
import { SERVICE_WORKER_FILE } from '../src/sw/service-worker-file';

const SOURCE = 'src/sw/service-worker.ts';
const PLACEHOLDER = /(["'`])__PAWPRINT_PRECACHE_MANIFEST__\1/g;

/**
 * Builds src/sw/service-worker.ts to /sw.js (production builds only) with the exact list of
 * files the build outputs, public/ included, so the app works offline after one visit; the
 * dev server answers /sw.js with a worker that removes itself.
 */
export function serviceWorker(): Plugin[] {
  return [buildServiceWorker(), retireOnDevServer()];
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

function retireOnDevServer(): Plugin {
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

function buildServiceWorker(): Plugin {
  let config: ResolvedConfig;
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
      async handler(_options, bundle) {
        const worker = bundle[SERVICE_WORKER_FILE];
        if (worker?.type !== 'chunk') return this.error(`${SOURCE} was not built to ${SERVICE_WORKER_FILE}.`);
        // A classic script cannot import: a module shared with the app would be split out.
        const imported = [...worker.imports, ...worker.dynamicImports];
        if (imported.length) return this.error(`${SERVICE_WORKER_FILE} must be one script, but imports ${imported.join(', ')}.`);
        const files = [...Object.values(bundle).map(builtFile), ...publicFiles(config)];
        const manifest = await precacheManifest(files);
        const code = worker.code.replace(PLACEHOLDER, () => JSON.stringify(JSON.stringify(manifest)));
        if (code === worker.code) return this.error(`${SERVICE_WORKER_FILE} lost its manifest placeholder.`);
        worker.code = code;
      },
    },
  };
}

function builtFile(output: Rolldown.OutputChunk | Rolldown.OutputAsset): BuiltFile {
  const content = output.type === 'chunk' ? output.code : output.source;
  return { path: output.fileName, bytes: typeof content === 'string' ? new TextEncoder().encode(content) : content };
}

/** Files Vite copies from public/ into the build as they are. */
function publicFiles(config: ResolvedConfig): BuiltFile[] {
  const root = config.publicDir;
  if (!config.build.copyPublicDir || !root || !existsSync(root)) return [];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path: relative(root, path).split(sep).join('/'), bytes: readFileSync(path) };
    });
}
