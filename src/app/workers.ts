import * as Comlink from 'comlink';
import type { DatasetWorkerApi } from '../workers/dataset.worker';
import type { RuntimeWorkerApi } from '../workers/runtime.worker';
import type { StoreWorkerApi } from '../workers/store.worker';

// One instance of each worker for the page; Vite bundles them from these URLs.
export const runtimeWorker = Comlink.wrap<RuntimeWorkerApi>(
  new Worker(new URL('../workers/runtime.worker.ts', import.meta.url), { type: 'module', name: 'runtime' }),
);
export const storeWorker = Comlink.wrap<StoreWorkerApi>(
  new Worker(new URL('../workers/store.worker.ts', import.meta.url), { type: 'module', name: 'store' }),
);
export const datasetWorker = Comlink.wrap<DatasetWorkerApi>(
  new Worker(new URL('../workers/dataset.worker.ts', import.meta.url), { type: 'module', name: 'dataset' }),
);
