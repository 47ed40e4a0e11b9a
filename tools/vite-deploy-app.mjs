// "Download app" ships a static page that classifies with one version's model. Its files are
// built here, with Pawprint's own build, and emitted under deploy/ (precached by Pawprint's
// service worker like every other file), so the page that makes the zip fetches nothing from
// elsewhere and works offline: src/deploy/index.html with its script (one file, tfjs core,
// layers and the cpu and wasm backends) and the wasm binaries, the app's service worker, and
// deploy/files.json listing them. Plain JavaScript with JSDoc types, like the other tools.

import { resolve } from 'node:path';

/** Where the app's files go in Pawprint's build. */
export const DEPLOY_FOLDER = 'deploy';
/** The list of the app's files, which the versions worker reads to make the zip. */
export const DEPLOY_LIST = `${DEPLOY_FOLDER}/files.json`;

/**
 * Builds the deployed app into memory: name → bytes.
 * @param {string} root Pawprint's project root.
 * @param {Record<string, unknown>} define The same constants as the app's (__APP_VERSION__).
 * @returns {Promise<Map<string, Uint8Array>>}
 */
export async function buildDeployApp(root, define) {
  const { build } = await import('vite');
  /** @param {import('vite').InlineConfig} config */
  const outputs = async (config) => {
    const result = await build({ configFile: false, logLevel: 'warn', define, ...config });
    const list = Array.isArray(result) ? result : [result];
    return list.flatMap((output) => ('output' in output ? output.output : []));
  };
  const page = await outputs({
    root: resolve(root, 'src/deploy'),
    base: './',
    build: {
      write: false,
      target: 'es2022',
      modulePreload: false,
      assetsInlineLimit: 0,
      rollupOptions: { output: { entryFileNames: 'app.js', chunkFileNames: 'app-[name].js', assetFileNames: '[name][extname]' } },
    },
  });
  const worker = await outputs({
    root,
    build: {
      write: false,
      target: 'es2022',
      rollupOptions: { input: resolve(root, 'src/deploy/service-worker.ts'), output: { entryFileNames: 'sw.js', format: 'iife' } },
    },
  });
  const files = new Map();
  for (const output of [...page, ...worker]) {
    if (output.fileName.endsWith('.map')) continue;
    const content = output.type === 'chunk' ? output.code : output.source;
    files.set(output.fileName, typeof content === 'string' ? new TextEncoder().encode(content) : content);
  }
  for (const needed of ['index.html', 'app.js', 'sw.js']) {
    if (!files.has(needed)) throw new Error(`The deployed app's build has no ${needed} (it has ${[...files.keys()].join(', ')}).`);
  }
  return files;
}

/**
 * The plugin: in a production build the app's files are emitted under deploy/; the dev server
 * builds them on the first request for one.
 * @returns {import('vite').Plugin[]}
 */
export function deployApp() {
  /** @type {import('vite').ResolvedConfig} */
  let config;
  /** @type {Promise<Map<string, Uint8Array>> | undefined} */
  let built;
  const files = () => (built ??= buildDeployApp(config.root, config.define ?? {}));
  const list = (/** @type {Map<string, Uint8Array>} */ map) => new TextEncoder().encode(`${JSON.stringify([...map.keys()].sort())}\n`);
  return [
    {
      name: 'pawprint:deploy-app',
      apply: 'build',
      configResolved(resolved) {
        config = resolved;
      },
      async buildStart() {
        const map = await files();
        for (const [name, bytes] of map) this.emitFile({ type: 'asset', fileName: `${DEPLOY_FOLDER}/${name}`, source: bytes });
        this.emitFile({ type: 'asset', fileName: DEPLOY_LIST, source: list(map) });
      },
    },
    {
      name: 'pawprint:deploy-app-dev',
      apply: 'serve',
      configResolved(resolved) {
        config = resolved;
      },
      configureServer(server) {
        server.middlewares.use(`${server.config.base}${DEPLOY_FOLDER}/`, (request, response, next) => {
          const name = (request.url ?? '').split('?')[0]?.replace(/^\//, '') ?? '';
          files()
            .then((map) => {
              const bytes = name === 'files.json' ? list(map) : map.get(name);
              if (!bytes) return next();
              response.setHeader('Content-Type', name.endsWith('.wasm') ? 'application/wasm' : name.endsWith('.html') ? 'text/html' : name.endsWith('.json') ? 'application/json' : 'text/javascript');
              response.end(bytes);
            })
            .catch(next);
        });
      },
    },
  ];
}
