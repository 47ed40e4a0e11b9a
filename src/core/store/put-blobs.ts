import { hashMany, warmUpHashers, type ContentHashes } from '../hash/hash-bytes';
import { discardBlobs } from './discard-blobs';
import { learnBlobs } from './known-blobs';
import { ownBytes } from './own-bytes';
import { canWritePacks, packDirectory } from './packs/directory';
import { removePackFile } from './packs/pack-files';
import { createPackWriter, type PackWriter } from './packs/pack-writer';
import type { BlobRecord, PawprintDB } from './schema';
import { writeInline } from './write-inline';
import { writePacked } from './write-packed';

export type BlobInput = Blob | Uint8Array | ArrayBuffer;

/** A blob hashed and ready to write. */
export interface PreparedBlob {
  record: BlobRecord;
  bytes: ArrayBuffer;
}

export interface PutBlobResult {
  record: BlobRecord;
  /** false when the bytes were already stored (nothing was written). */
  stored: boolean;
}

export interface PutBlobsProgress {
  /** Items written so far (stored or found already present). */
  done: number;
  /** Their total size. */
  bytes: number;
}

export interface PutBlobsOptions {
  signal?: AbortSignal;
  onProgress?: (progress: PutBlobsProgress) => void;
  /**
   * Called once every item is hashed, with the hashes in input order, while
   * the last batch is still being written: a caller can prepare what uses
   * them (a data set to commit) as IndexedDB writes in another process.
   */
  onHashed?: (hashes: readonly ContentHashes[]) => void;
}

export interface PutBlobsResult {
  /** One record per input item, in input order. */
  records: BlobRecord[];
  /** The blobs this call stored (they were new), for a caller that must take them back (discardBlobs). */
  stored: string[];
  storedCount: number;
  skippedCount: number;
  bytesStored: number;
  bytesSkipped: number;
}

// Several blobs per transaction: each transaction has a fixed cost, and
// ingest writes thousands of small images. Blobs written into blobData go
// with their bytes, so those batches stay small; a pack batch costs a few
// round trips to the storage process and one flush whatever its size.
const INLINE_BATCH = { items: 64, bytes: 32 * 1024 * 1024 };
const PACK_BATCH = { items: 4096, bytes: 16 * 1024 * 1024 };

/**
 * Stores one blob, in blobData (one blob, such as a model's weights, is not
 * worth a pack file). Hashing happens before the transaction opens (a
 * transaction commits as soon as it waits on anything but its own requests).
 */
export async function putBlob(
  db: PawprintDB,
  data: BlobInput,
  options: { type?: string; signal?: AbortSignal } = {},
): Promise<PutBlobResult> {
  options.signal?.throwIfAborted();
  const [result] = await writeInline(db, await prepareBlobs([data], options.type));
  return result!;
}

/**
 * Readies what putBlobs needs first: the hashers, the pack folder, and the
 * set of stored blobs (known-blobs.ts), so that dedup and commit need not read
 * the records. Worth doing while the user reviews a drop.
 */
export async function warmUpPutBlobs(db: PawprintDB): Promise<void> {
  await Promise.all([warmUpHashers(), learnBlobs(db), canWritePacks() ? packDirectory(db.name) : undefined]);
}

/**
 * Stores many blobs, deduplicating against the store and within the input.
 * A batch is hashed (large files by WebCrypto, off this thread) while the
 * previous batch is being written, so hashing and writing overlap. In a
 * worker the bytes go to one new pack file (writePacked), elsewhere to
 * blobData (writeInline). The signal is checked between items. A failure or
 * an abort takes back what this call stored (its records, and its pack file):
 * callers hold the store lock throughout, so nothing has referenced them.
 */
export async function putBlobs(
  db: PawprintDB,
  items: Iterable<BlobInput> | AsyncIterable<BlobInput>,
  options: PutBlobsOptions = {},
): Promise<PutBlobsResult> {
  const { signal, onProgress, onHashed } = options;
  const hashed: ContentHashes[] = [];
  const result: PutBlobsResult = { records: [], stored: [], storedCount: 0, skippedCount: 0, bytesStored: 0, bytesSkipped: 0 };
  let writing: Promise<void> = Promise.resolve();
  let pack: Promise<PackWriter> | undefined;
  const openPack = () => (pack ??= createPackWriter(db.name));
  const packed = canWritePacks();
  const limit = packed ? PACK_BATCH : INLINE_BATCH;
  // Opening a pack costs several OPFS round trips (~20 ms): done while the first batch is hashed.
  if (packed) openPack().catch(() => undefined);
  const writeBatch = packed ? (batch: PreparedBlob[]) => writePacked(db, openPack, batch) : (batch: PreparedBlob[]) => writeInline(db, batch);

  const account = (written: PutBlobResult[]) => {
    for (const { record, stored } of written) {
      result.records.push(record);
      if (stored) {
        result.stored.push(record.sha256);
        result.storedCount++;
        result.bytesStored += record.size;
      } else {
        result.skippedCount++;
        result.bytesSkipped += record.size;
      }
    }
    onProgress?.({ done: result.records.length, bytes: result.bytesStored + result.bytesSkipped });
  };

  // One write in flight at a time, in order: dedup across batches sees earlier writes.
  const write = async (batch: BlobInput[]) => {
    const prepared = await prepareBlobs(batch);
    for (const { record } of prepared) hashed.push({ sha256: record.sha256, md5: record.md5, size: record.size });
    await writing;
    writing = writeBatch(prepared).then(account);
  };

  try {
    let batch: BlobInput[] = [];
    let batchBytes = 0;
    for await (const item of items) {
      signal?.throwIfAborted();
      batch.push(item);
      batchBytes += sizeOf(item);
      if (batch.length >= limit.items || batchBytes >= limit.bytes) {
        await write(batch);
        batch = [];
        batchBytes = 0;
      }
    }
    signal?.throwIfAborted();
    if (batch.length > 0) await write(batch);
    onHashed?.(hashed);
  } catch (error) {
    await settle(writing, pack);
    await takeBack(db, result.stored, pack);
    throw error;
  }
  await settle(writing, pack);
  try {
    await writing;
  } catch (error) {
    await takeBack(db, result.stored, pack);
    throw error;
  }
  return result;
}

/** Waits for the write in flight (never left running behind the caller's back) and closes the pack. */
async function settle(writing: Promise<void>, pack: Promise<PackWriter> | undefined): Promise<void> {
  await writing.catch(() => undefined);
  await pack?.then(
    (writer) => writer.close(),
    () => undefined,
  );
}

/** After a failure or an abort: the records this call wrote, and its pack file (bytes appended but never recorded too). */
async function takeBack(db: PawprintDB, stored: readonly string[], pack: Promise<PackWriter> | undefined): Promise<void> {
  await discardBlobs(db, stored);
  const file = await pack?.then(
    (writer) => writer.file,
    () => undefined,
  );
  if (file !== undefined) await removePackFile(db.name, file);
}

function sizeOf(item: BlobInput): number {
  return item instanceof Blob ? item.size : item.byteLength;
}

/** Reads (Blobs) or copies (bytes) the items and hashes them, ready to write. */
async function prepareBlobs(items: readonly BlobInput[], type?: string): Promise<PreparedBlob[]> {
  const bytes = await Promise.all(items.map((item) => (item instanceof Blob ? item.arrayBuffer() : ownBytes(item))));
  const hashes = await hashMany(bytes);
  const storedAt = Date.now();
  return items.map((item, i) => ({ record: { ...hashes[i]!, type: type ?? (item instanceof Blob ? item.type : ''), storedAt }, bytes: bytes[i]! }));
}
