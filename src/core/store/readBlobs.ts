import { CorruptObjectError, MissingObjectError } from './errors';
import type { BlobRecord, PawprintDB } from './schema';

export async function hasBlob(db: PawprintDB, sha256: string): Promise<boolean> {
  return (await db.getKey('blobs', sha256)) !== undefined;
}

/** The given hashes that have no stored blob, without duplicates, in input order. */
export async function missingBlobs(db: PawprintDB, shas: Iterable<string>): Promise<string[]> {
  const unique = [...new Set(shas)];
  const store = db.transaction('blobs').store;
  const keys = await Promise.all(unique.map((sha) => store.getKey(sha)));
  return unique.filter((_, i) => keys[i] === undefined);
}

export function getBlobRecord(db: PawprintDB, sha256: string): Promise<BlobRecord | undefined> {
  return db.get('blobs', sha256);
}

export async function getBlob(db: PawprintDB, sha256: string): Promise<Blob> {
  return (await getBlobs(db, [sha256])).get(sha256)!;
}

/**
 * Reads several blobs in one transaction. Throws MissingObjectError naming
 * every one absent, or CorruptObjectError if stored bytes have the wrong
 * length (a cheap check; verify rehashes).
 */
export async function getBlobs(db: PawprintDB, shas: Iterable<string>): Promise<Map<string, Blob>> {
  const unique = [...new Set(shas)];
  const tx = db.transaction(['blobs', 'blobData']);
  const records = tx.objectStore('blobs');
  const data = tx.objectStore('blobData');
  const found = await Promise.all(unique.map((sha) => Promise.all([records.get(sha), data.get(sha)])));
  const blobs = new Map<string, Blob>();
  const missing: string[] = [];
  found.forEach(([record, bytes], i) => {
    const sha = unique[i]!;
    if (record === undefined || bytes === undefined) missing.push(sha);
    else if (bytes.byteLength !== record.size) throw new CorruptObjectError(sha, `${bytes.byteLength} bytes stored, ${record.size} expected`);
    else blobs.set(sha, new Blob([bytes], { type: record.type }));
  });
  if (missing.length > 0) throw new MissingObjectError(missing);
  return blobs;
}
