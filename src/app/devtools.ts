import type { BackendName } from '../core/runtime/backend-names';
import type { Store } from '../core/store';
import type { AppState } from './app.svelte';
import { trainWorker } from './workers';

/**
 * `window.pawprint`: a small handle for the devtools console, browser tests and
 * benchmarks, in the spirit of `window.tf`. It goes through the same workers and
 * store as the UI does.
 */
export interface PawprintHandle {
  ready: Promise<void>;
  putFiles: AppState['putFiles'];
  readBlob(sha256: string): Promise<Blob>;
  usage(): Promise<{ blobs: number; blobBytes: number; objects: number }>;
  /** What no version, workspace, stash or run reaches, in bytes and counts (what Clean up would free). */
  unreachable(): ReturnType<Store['unreachable']>;
  /** Phase timings of the last import (read, store, decode + validate), in ms. */
  ingestTimings(): AppState['dataset']['timings'];
  /** Runs "Classify an image" and batch predict on this tfjs backend from now on (benchmarks); false when it does not start. */
  useBackend(name: BackendName): Promise<boolean>;
}

declare global {
  interface Window {
    pawprint: PawprintHandle;
  }
}

export function installDevtools(app: AppState): void {
  const store = async () => {
    await app.ready;
    if (!app.store) throw new Error('The store is not open.');
    return app.store;
  };
  window.pawprint = {
    ready: app.ready,
    putFiles: (files) => app.putFiles(files),
    readBlob: async (sha256) => (await store()).getBlob(sha256),
    usage: async () => (await store()).usage(),
    unreachable: async () => (await store()).unreachable(),
    ingestTimings: () => ({ ...app.dataset.timings }),
    useBackend: async (name) => {
      const started = await trainWorker.useBackend(name);
      if (started) app.runtime.backend = name;
      return started;
    },
  };
}
