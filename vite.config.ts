import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { readFileSync } from 'node:fs';
import { deployApp } from './tools/vite-deploy-app.mjs';
import { serviceWorker } from './tools/vite-service-worker.mjs';
import { tfjsThreads } from './tools/vite-tfjs-threads.mjs';

const ISOLATION_HEADERS = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

export default defineConfig({
  plugins: [svelte(), tfjsThreads(), deployApp(), serviceWorker()],
  define: { __APP_VERSION__: JSON.stringify(version) },
  // Workers are ES modules so they can import core/ code and tfjs.
  worker: { format: 'es', plugins: () => [tfjsThreads()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 4096 },
  // Cross-origin isolation, so that tfjs' threaded wasm build and Pawprint's kernels can share
  // memory between threads (SharedArrayBuffer). Static hosts without these headers get them
  // from the service worker (src/sw).
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
  server: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
});
