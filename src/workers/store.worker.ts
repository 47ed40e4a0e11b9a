// Hashing and storing many files is CPU work: it runs here, not on the main thread
// (putBlobs takes the store lock itself, like every store write).
import * as Comlink from 'comlink';
import { openStore } from '../core/store';

const store = openStore();

const api = {
  async putFiles(files: Blob[]) {
    const result = await (await store).putBlobs(files);
    return {
      storedCount: result.storedCount,
      skippedCount: result.skippedCount,
      bytesStored: result.bytesStored,
      bytesSkipped: result.bytesSkipped,
      sha256: result.records.map((record) => record.sha256),
    };
  },

  /** Blob count and bytes for the status line: counting reads every blob record, so not on the page's main thread. */
  async usage() {
    return (await store).usage();
  },
};

export type StoreWorkerApi = typeof api;
Comlink.expose(api);
