import { findRecords, type RecordsTx } from './blob-records';
import type { PreparedBlob } from './put-blobs';
import type { BlobRecord } from './schema';

/**
 * The record if its blob is stored with its bytes, else undefined. Bytes in
 * blobData are looked up (a record whose bytes went missing gets written
 * again); bytes in a pack are taken as present (verify rereads them).
 */
async function storedBlob(
  record: BlobRecord | undefined,
  blobData: { getKey(sha256: string): Promise<string | undefined> },
): Promise<BlobRecord | undefined> {
  if (!record || record.pack) return record;
  return (await blobData.getKey(record.sha256)) !== undefined ? record : undefined;
}

/**
 * For a batch about to be written: every record found for it, and per item
 * its stored record (storedBlob; undefined: to be written). `tx` also spans
 * blobData.
 */
export async function existingRecords(
  tx: RecordsTx,
  batch: readonly PreparedBlob[],
): Promise<{ found: Map<string, BlobRecord>; existing: (BlobRecord | undefined)[] }> {
  const found = await findRecords(tx, batch.map(({ record }) => record.sha256));
  const existing = await Promise.all(batch.map(({ record }) => storedBlob(found.get(record.sha256), tx.objectStore('blobData'))));
  return { found, existing };
}
