import { hashBytes } from '../hash/hashBytes';
import { ownBytes } from './ownBytes';
import { canWritePacks } from './packs/directory';
import { createPackWriter, type PackWriter } from './packs/packWriter';
import type { BlobRecord, PawprintDB } from './schema';
import { writeInline } from './writeInline';
import { writePacked } from './writePacked';

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

export interface PutBlobsResult {
  /** One record per input item, in input order. */
  records: BlobRecord[];
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
  const [result] = await writeInline(db, [await prepareBlob(data, options.type)]);
  return result!;
}

/**
 * Stores many blobs, deduplicating against the store and within the input.
 * A batch is hashed in parallel (WebCrypto runs off this thread) while the
 * previous batch is being written, so hashing and writing overlap. In a
 * worker the bytes go to one new pack file (writePacked), elsewhere to
 * blobData (writeInline). The signal is checked between items; batches
 * already written stay (they are unreferenced until committed, and gc
 * removes them).
 */
export async function putBlobs(
  db: PawprintDB,
  items: Iterable<BlobInput> | AsyncIterable<BlobInput>,
  options: { signal?: AbortSignal; onProgress?: (progress: PutBlobsProgress) => void } = {},
): Promise<PutBlobsResult> {
  const { signal, onProgress } = options;
  const result: PutBlobsResult = { records: [], storedCount: 0, skippedCount: 0, bytesStored: 0, bytesSkipped: 0 };
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
    const prepared = await Promise.all(batch.map((item) => prepareBlob(item)));
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
  } finally {
    // Never leave a write running behind the caller's back, even on abort.
    await writing.catch(() => undefined);
    await pack?.then(
      (writer) => writer.close(),
      () => undefined,
    );
  }
  await writing;
  return result;
}

function sizeOf(item: BlobInput): number {
  return item instanceof Blob ? item.size : item.byteLength;
}

async function prepareBlob(data: BlobInput, type?: string): Promise<PreparedBlob> {
  const bytes = data instanceof Blob ? await data.arrayBuffer() : ownBytes(data);
  const { sha256, md5, size } = await hashBytes(bytes);
  const record = { sha256, md5, size, type: type ?? (data instanceof Blob ? data.type : ''), storedAt: Date.now() };
  return { record, bytes };
}
