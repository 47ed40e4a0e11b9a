import * as Comlink from 'comlink';
import type { DatasetWorkerApi } from '../workers/dataset.worker';
import type { StoreWorkerApi } from '../workers/store.worker';
import type { TrainWorkerApi } from '../workers/train.worker';
import type { VersionsWorkerApi } from '../workers/versions.worker';

// One instance of each worker for the page; Vite bundles them from these URLs.
export const trainWorker = Comlink.wrap<TrainWorkerApi>(
  new Worker(new URL('../workers/train.worker.ts', import.meta.url), { type: 'module', name: 'train' }),
);
export const storeWorker = Comlink.wrap<StoreWorkerApi>(
  new Worker(new URL('../workers/store.worker.ts', import.meta.url), { type: 'module', name: 'store' }),
);
export const datasetWorker = Comlink.wrap<DatasetWorkerApi>(
  new Worker(new URL('../workers/dataset.worker.ts', import.meta.url), { type: 'module', name: 'dataset' }),
);
export const versionsWorker = Comlink.wrap<VersionsWorkerApi>(
  new Worker(new URL('../workers/versions.worker.ts', import.meta.url), { type: 'module', name: 'versions' }),
);
