// The store's bulk work, off the page's main thread: hashing and storing many files (putBlobs
// takes the store lock itself, like every store write), thumbnails, counting the blobs, and
// Verify (here, not in the versions worker, so version actions go on while it reads).
import * as Comlink from 'comlink';
import { openStore, type VerifyProgress } from '../core/store';
import { versionsHolding } from '../core/versions';
import { cancelJob, runJob } from './lib/jobs';
import { makeThumbnail } from './lib/make-thumbnail';
import { pacedProgress } from './lib/paced-progress';

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

  /** Rehashes everything (cancellable); each damaged file is named with the versions it affects. */
  verify: (jobId: number, onProgress: (progress: VerifyProgress) => void) =>
    runJob(jobId, async (signal) => {
      const s = await store;
      const report = await s.verify({ signal, onProgress: pacedProgress(onProgress) });
      const damaged = [...report.corruptBlobs.map((blob) => blob.sha256), ...report.missingBlobData];
      return { report, affected: Object.fromEntries(await versionsHolding(s, damaged)) };
    }),

  cancel: (jobId: number) => cancelJob(jobId, 'Cancelled by the user.'),

  /** Blob count and bytes for the status line: counting reads every blob record, so not on the page's main thread. */
  async usage() {
    return (await store).usage();
  },
};

export type StoreWorkerApi = typeof api;
Comlink.expose(api);
