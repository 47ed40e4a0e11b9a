import type { TransferProgress } from '../format/progress';
import { md5Hex } from '../hash/md5';
import type { Dataset } from '../objects/types';
import { CorruptObjectError, type Store } from '../store';

export interface ReadDatasetFilesOptions {
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

/** Files per IndexedDB read: one transaction each, and a progress report between them. */
const FILES_PER_READ = 64;

/**
 * Every file of a data set, by relpath, read from the store in batches. Each
 * file's md5 is checked against the manifest, so a `.dvc` file written from the
 * manifest is true of the bytes exported beside it. Abort lands between batches.
 */
export async function readDatasetFiles(
  store: Store,
  dataset: Dataset,
  { signal, onProgress }: ReadDatasetFilesOptions = {},
): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  const progress: TransferProgress = { done: 0, total: dataset.entries.length, bytes: 0 };
  for (let start = 0; start < dataset.entries.length; start += FILES_PER_READ) {
    signal?.throwIfAborted();
    const batch = dataset.entries.slice(start, start + FILES_PER_READ);
    const blobs = await store.getBlobs(batch.map((entry) => entry.sha256));
    for (const entry of batch) {
      const bytes = new Uint8Array(await blobs.get(entry.sha256)!.arrayBuffer());
      if ((await md5Hex(bytes)) !== entry.md5) throw new CorruptObjectError(entry.sha256, `its bytes do not match the md5 of ${entry.path}`);
      files.set(entry.path, bytes);
      progress.bytes += bytes.byteLength;
    }
    progress.done += batch.length;
    onProgress?.({ ...progress });
  }
  return files;
}
