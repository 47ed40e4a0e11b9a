import { findRecords, RECORD_STORES } from './blobRecords';
import { CorruptObjectError, MissingObjectError } from './errors';
import { storedBlobs } from './storedBlobs';
import type { BlobRecord, PawprintDB } from './schema';

export async function hasBlob(db: PawprintDB, sha256: string): Promise<boolean> {
  return (await getBlobRecord(db, sha256)) !== undefined;
}

/** The given hashes that have no stored blob, without duplicates, in input order. */
export async function missingBlobs(db: PawprintDB, shas: Iterable<string>): Promise<string[]> {
  const unique = [...new Set(shas)];
  const found = await findRecords(db.transaction(RECORD_STORES), unique);
  return unique.filter((sha) => !found.has(sha));
}

export async function getBlobRecord(db: PawprintDB, sha256: string): Promise<BlobRecord | undefined> {
  return (await findRecords(db.transaction(RECORD_STORES), [sha256])).get(sha256);
}

export async function getBlob(db: PawprintDB, sha256: string): Promise<Blob> {
  return (await getBlobs(db, [sha256])).get(sha256)!;
}

/**
 * Reads several blobs (records in one transaction, then their bytes from
 * packs or blobData). Throws MissingObjectError naming every one absent, or
 * CorruptObjectError if stored bytes have the wrong length (a cheap check;
 * verify rehashes).
 */
export async function getBlobs(db: PawprintDB, shas: Iterable<string>): Promise<Map<string, Blob>> {
  const unique = [...new Set(shas)];
  const found = await findRecords(db.transaction(RECORD_STORES), unique);
  const present = unique.flatMap((sha) => found.get(sha) ?? []);
  const stored = await storedBlobs(db, present);
  const blobs = new Map<string, Blob>();
  const missing = unique.filter((sha) => !found.has(sha));
  present.forEach((record, i) => {
    const blob = stored[i];
    if (blob === undefined) missing.push(record.sha256);
    else if (blob.size !== record.size) throw new CorruptObjectError(record.sha256, `${blob.size} bytes stored, ${record.size} expected`);
    else blobs.set(record.sha256, blob);
  });
  if (missing.length > 0) throw new MissingObjectError(missing);
  return blobs;
}
