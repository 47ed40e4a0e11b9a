import { hashBytes } from '../hash/hashBytes';
import { ownBytes } from './ownBytes';
import type { BlobRecord, PawprintDB } from './schema';
import { writeTransaction } from './transaction';

export type BlobInput = Blob | Uint8Array | ArrayBuffer;

/** A blob hashed and ready to write. */
interface PreparedBlob {
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
// ingest writes thousands of small images.
const BATCH_ITEMS = 64;
const BATCH_BYTES = 32 * 1024 * 1024;

/**
 * Stores one blob. Hashing happens before the transaction opens (a
 * transaction commits as soon as it waits on anything but its own requests).
 */
export async function putBlob(
  db: PawprintDB,
  data: BlobInput,
  options: { type?: string; signal?: AbortSignal } = {},
): Promise<PutBlobResult> {
  options.signal?.throwIfAborted();
  const [result] = await writeBlobs(db, [await prepareBlob(data, options.type)]);
  return result!;
}

/**
 * Stores many blobs, deduplicating against the store and within the input.
 * A batch is hashed in parallel (WebCrypto runs off this thread) while the
 * previous batch is being written, so hashing and IndexedDB overlap. The
 * signal is checked between items; batches already written stay (they are
 * unreferenced until committed, and gc removes them).
 */
export async function putBlobs(
  db: PawprintDB,
  items: Iterable<BlobInput> | AsyncIterable<BlobInput>,
  options: { signal?: AbortSignal; onProgress?: (progress: PutBlobsProgress) => void } = {},
): Promise<PutBlobsResult> {
  const { signal, onProgress } = options;
  const result: PutBlobsResult = { records: [], storedCount: 0, skippedCount: 0, bytesStored: 0, bytesSkipped: 0 };
  let writing: Promise<void> = Promise.resolve();

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
    writing = writeBlobs(db, prepared).then(account);
  };

  try {
    let batch: BlobInput[] = [];
    let batchBytes = 0;
    for await (const item of items) {
      signal?.throwIfAborted();
      batch.push(item);
      batchBytes += sizeOf(item);
      if (batch.length >= BATCH_ITEMS || batchBytes >= BATCH_BYTES) {
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

/**
 * Writes the blobs not yet present, each record together with its bytes, in
 * one transaction. A record whose bytes went missing is written again.
 */
async function writeBlobs(db: PawprintDB, batch: PreparedBlob[]): Promise<PutBlobResult[]> {
  const bytes = batch.reduce((total, { record }) => total + record.size, 0);
  return writeTransaction(
    db,
    ['blobs', 'blobData'],
    async (tx) => {
      const records = tx.objectStore('blobs');
      const data = tx.objectStore('blobData');
      const existing = await Promise.all(
        batch.map(async ({ record }) => {
          const [stored, storedBytes] = await Promise.all([records.get(record.sha256), data.getKey(record.sha256)]);
          return storedBytes === undefined ? undefined : stored;
        }),
      );
      const written = new Map<string, BlobRecord>();
      // async callbacks: a request that throws becomes a rejection that
      // Promise.all observes, alongside every request already issued.
      return Promise.all(
        batch.map(async (prepared, i): Promise<PutBlobResult> => {
          const { sha256 } = prepared.record;
          const present = existing[i] ?? written.get(sha256);
          if (present) return { record: present, stored: false };
          written.set(sha256, prepared.record);
          await data.put(prepared.bytes, sha256);
          await records.put(prepared.record);
          return { record: prepared.record, stored: true };
        }),
      );
    },
    bytes,
  );
}
