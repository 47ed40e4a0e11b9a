import { adapterLabel } from '../core/runtime/adapter';
import { formatBytes } from '../core/format/bytes';
import { countOf } from '../core/format/numbers';
import { storeWorker, trainWorker } from './workers';

/** What the status line shows: the compute backend, the adapter and the storage. */
export class RuntimeState {
  backend = $state('starting…');
  adapter = $state('checking…');
  storage = $state('checking…');
  persisted = $state(false);
  storeSummary = $state('…');
  error = $state<string | null>(null);

  async start(): Promise<void> {
    try {
      const { backend, adapter } = await trainWorker.start();
      this.backend = backend;
      this.adapter = adapterLabel(adapter);
    } catch (error) {
      this.backend = 'unavailable';
      this.adapter = 'unknown';
      this.error = `Could not start the compute backend: ${(error as Error).message}`;
    }
  }

  /** Asks the browser not to evict our data under storage pressure, then reads the quota. */
  async refreshStorage(requestPersistence = false): Promise<void> {
    const storage = navigator.storage;
    if (!storage?.estimate) {
      this.storage = 'unknown';
      return;
    }
    if (requestPersistence && storage.persist) this.persisted = await storage.persist();
    else if (storage.persisted) this.persisted = await storage.persisted();
    const { usage = 0, quota = 0 } = await storage.estimate();
    this.storage = `${formatBytes(usage)} used of ${formatBytes(quota)}`;
  }

  async refreshStore(): Promise<void> {
    const usage = await storeWorker.usage();
    this.storeSummary = `${countOf(usage.blobs, 'blob')} · ${formatBytes(usage.blobBytes)}`;
  }
}
