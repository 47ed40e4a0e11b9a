// The store's bulk work, off the page's main thread: hashing and storing many files (putBlobs
// takes the store lock itself, like every store write), thumbnails, counting the blobs.
import * as Comlink from 'comlink';
import { openStore } from '../core/store';
import { makeThumbnail } from './lib/make-thumbnail';

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

  /**
   * Thumbnails of stored images, fitting in size×size: read and decoded here, not on the page's
   * main thread. An image that is missing or does not decode has none (its tile stays empty;
   * "Verify store" says why).
   */
  async thumbnails(shas: string[], size: number) {
    const blobs = await (await store).getBlobs(shas).catch(() => new Map<string, Blob>());
    const thumbnails = new Map<string, Blob>();
    await Promise.all(
      [...blobs].map(async ([sha, blob]) => {
        const thumbnail = await makeThumbnail(blob, size).catch(() => null);
        if (thumbnail) thumbnails.set(sha, thumbnail);
      }),
    );
    return thumbnails;
  },

  /** Blob count and bytes for the status line: counting reads every blob record, so not on the page's main thread. */
  async usage() {
    return (await store).usage();
  },
};

export type StoreWorkerApi = typeof api;
Comlink.expose(api);
