import type { BlobRecord } from './schema';

/**
 * The record if its blob is stored with its bytes, else undefined. Bytes in
 * blobData are looked up (a record whose bytes went missing gets written
 * again); bytes in a pack are taken as present (verify rereads them).
 */
export async function storedBlob(
  record: BlobRecord | undefined,
  blobData: { getKey(sha256: string): Promise<string | undefined> },
): Promise<BlobRecord | undefined> {
  if (!record || record.pack) return record;
  return (await blobData.getKey(record.sha256)) !== undefined ? record : undefined;
}
