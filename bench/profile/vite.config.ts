// The profiling page is built like the app: tfjs' threaded wasm build made to start, and served
// cross-origin isolated so the wasm kernels can use every core.
import { defineConfig } from 'vite';
import { tfjsThreads } from '../../tools/vite-tfjs-threads.mjs';

const ISOLATION_HEADERS = { 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' };

export default defineConfig({
  plugins: [tfjsThreads()],
  worker: { format: 'es', plugins: () => [tfjsThreads()] },
  build: { target: 'es2022', chunkSizeWarningLimit: 8192 },
  preview: { host: '127.0.0.1', headers: ISOLATION_HEADERS },
});
