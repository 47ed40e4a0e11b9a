import { QuotaExceededError } from './errors';
import type { PackWriter } from './packs/pack-writer';
import type { PreparedBlob, PutBlobResult } from './put-blobs';
import type { BlobRecord, PawprintDB } from './schema';
import { putGrouped } from './blob-records';
import { noteBlobChanges } from './known-blobs';
import { existingRecords } from './stored-blob';
import { isQuotaError, writeTransaction } from './transaction';

/**
 * Appends the bytes of the blobs not yet present to the pack, flushes it,
 * and only then writes their records (naming pack and offset) in one
 * transaction: a crash or a failure in between leaves bytes no record
 * points at, never a record without its bytes. The records go into groups
 * (blob-records.ts): one IndexedDB value per 64 blobs. The pack is asked for
 * only when the batch has a new blob (putBlobs opens it ahead; a pack nothing
 * was appended to is deleted on close, so a drop of known files leaves no file).
 */
export async function writePacked(db: PawprintDB, openPack: () => Promise<PackWriter>, batch: readonly PreparedBlob[]): Promise<PutBlobResult[]> {
  const { existing, staleRecords } = await storedRecords(db, batch);
  const fresh = new Map<string, BlobRecord>();
  const results: PutBlobResult[] = [];
  let bytes = 0;
  try {
    const located: { record: BlobRecord; bytes: Uint8Array }[] = [];
    for (const [i, { record, bytes: data }] of batch.entries()) {
      const present = existing[i] ?? fresh.get(record.sha256);
      if (present) {
        results.push({ record: present, stored: false });
        continue;
      }
      const packed: BlobRecord = { ...record };
      located.push({ record: packed, bytes: new Uint8Array(data) });
      fresh.set(record.sha256, packed);
      bytes += record.size;
      results.push({ record: packed, stored: true });
    }
    if (located.length > 0) {
      const pack = await openPack();
      appendAll(pack, located);
      pack.flush();
    }
  } catch (error) {
    throw isQuotaError(error) ? new QuotaExceededError(bytes, error) : error;
  }
  if (fresh.size > 0) {
    await writeTransaction(
      db,
      ['blobs', 'blobGroups', 'meta'],
      async (tx) => {
        // A record in `blobs` whose bytes went missing gives way to the new one: a blob has one record.
        const stale = [...fresh.keys()].filter((sha) => staleRecords.has(sha));
        await Promise.all([
          putGrouped(tx, [...fresh.values()]),
          ...stale.map((sha) => tx.objectStore('blobs').delete(sha)),
          noteBlobChanges(tx, { added: fresh.keys() }),
        ]);
      },
      bytes,
    );
  }
  return results;
}

/** The stored record of each item (undefined: to be written), and the blobs whose record in `blobs` has lost its bytes. */
async function storedRecords(db: PawprintDB, batch: readonly PreparedBlob[]): Promise<{ existing: (BlobRecord | undefined)[]; staleRecords: Set<string> }> {
  const { found, existing } = await existingRecords(db.transaction(['blobs', 'blobGroups', 'blobData', 'meta']), batch);
  const staleRecords = new Set(batch.flatMap(({ record }, i) => (existing[i] === undefined && found.has(record.sha256) ? [record.sha256] : [])));
  return { existing, staleRecords };
}

// A write through the sync handle costs tens of µs whatever its size: most
// of the time for a small image. Runs of small blobs are copied together and
// written at once (up to RUN_BYTES); a large blob is written as it is.
const SMALL_BYTES = 64 * 1024;
const RUN_BYTES = 1024 * 1024;

/** Appends the blobs in order and sets each record's pack location. */
function appendAll(pack: PackWriter, located: readonly { record: BlobRecord; bytes: Uint8Array }[]): void {
  let run: { record: BlobRecord; bytes: Uint8Array }[] = [];
  let runBytes = 0;
  const writeRun = () => {
    if (run.length === 0) return;
    const joined = new Uint8Array(runBytes);
    let at = 0;
    for (const { bytes } of run) {
      joined.set(bytes, at);
      at += bytes.byteLength;
    }
    const start = pack.append(joined);
    at = 0;
    for (const { record, bytes } of run) {
      record.pack = { file: pack.file, offset: start + at };
      at += bytes.byteLength;
    }
    run = [];
    runBytes = 0;
  };
  for (const item of located) {
    if (item.bytes.byteLength >= SMALL_BYTES) {
      writeRun();
      item.record.pack = { file: pack.file, offset: pack.append(item.bytes) };
      continue;
    }
    run.push(item);
    runBytes += item.bytes.byteLength;
    if (runBytes >= RUN_BYTES) writeRun();
  }
  writeRun();
}
