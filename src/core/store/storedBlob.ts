import type { BlobRecord } from './schema';

/**
 * The record of a blob that is stored with its bytes, or undefined. Bytes in
 * blobData are looked up (a record whose bytes went missing gets written
 * again); bytes in a pack are taken as present (verify rereads them).
 */
export async function storedBlob(
  records: { get(sha256: string): Promise<BlobRecord | undefined> },
  blobData: { getKey(sha256: string): Promise<string | undefined> },
  sha256: string,
): Promise<BlobRecord | undefined> {
  const stored = await records.get(sha256);
  if (stored?.pack) return stored;
  return stored && (await blobData.getKey(sha256)) !== undefined ? stored : undefined;
}
