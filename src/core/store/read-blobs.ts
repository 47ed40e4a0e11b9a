import { findRecords, presentBlobs, RECORD_STORES } from './blob-records';
import { CorruptObjectError, MissingObjectError } from './errors';
import { storedBlobs } from './stored-blobs';
import type { BlobRecord, PawprintDB } from './schema';

export async function hasBlob(db: PawprintDB, sha256: string): Promise<boolean> {
  return (await presentBlobs(db.transaction(RECORD_STORES), [sha256])).has(sha256);
}

/** The given hashes that have no stored blob, without duplicates, in input order. */
export async function missingBlobs(db: PawprintDB, shas: Iterable<string>): Promise<string[]> {
  const unique = [...new Set(shas)];
  const present = await presentBlobs(db.transaction(RECORD_STORES), unique);
  return unique.filter((sha) => !present.has(sha));
}

export async function getBlobRecord(db: PawprintDB, sha256: string): Promise<BlobRecord | undefined> {
  return (await findRecords(db.transaction(RECORD_STORES), [sha256])).get(sha256);
}

export async function getBlob(db: PawprintDB, sha256: string): Promise<Blob> {
  return (await getBlobs(db, [sha256])).get(sha256)!;
}

/**
 * Where getBlobs has seen pack-written blobs, by database. Reading a group
 * for one record brings its 63 neighbours: readers that ask for a few blobs
 * at a time (decode reads of 192, thumbnails per frame) would otherwise
 * read each group dozens of times. A pack location stays true while its
 * pack exists (packs are append-only and deleted whole), so a location
 * whose bytes are gone is dropped and looked up again; gc here clears it.
 */
const packLocations = new WeakMap<PawprintDB, Map<string, BlobRecord>>();
const MAX_CACHED_LOCATIONS = 200_000;

export function forgetPackLocations(db: PawprintDB): void {
  packLocations.delete(db);
}

function locationsOf(db: PawprintDB): Map<string, BlobRecord> {
  let cache = packLocations.get(db);
  if (!cache || cache.size > MAX_CACHED_LOCATIONS) packLocations.set(db, (cache = new Map()));
  return cache;
}

/**
 * Reads several blobs (records in one transaction, then their bytes from
 * packs or blobData). Throws MissingObjectError naming every one absent, or
 * CorruptObjectError if stored bytes have the wrong length (a cheap check;
 * verify rehashes).
 */
export async function getBlobs(db: PawprintDB, shas: Iterable<string>, retry = true): Promise<Map<string, Blob>> {
  const unique = [...new Set(shas)];
  const cache = locationsOf(db);
  const lookup = unique.filter((sha) => !cache.has(sha));
  const found =
    lookup.length > 0
      ? await findRecords(db.transaction(RECORD_STORES), lookup, { onGroup: (records) => records.forEach((record) => cache.set(record.sha256, record)) })
      : new Map<string, BlobRecord>();
  const present = unique.flatMap((sha) => cache.get(sha) ?? found.get(sha) ?? []);
  const stored = await storedBlobs(db, present);
  const blobs = new Map<string, Blob>();
  const missing = unique.filter((sha) => !cache.has(sha) && !found.has(sha));
  const gone: string[] = [];
  present.forEach((record, i) => {
    const blob = stored[i];
    if (blob === undefined) (retry && record.pack ? gone : missing).push(record.sha256);
    else if (blob.size !== record.size) throw new CorruptObjectError(record.sha256, `${blob.size} bytes stored, ${record.size} expected`);
    else blobs.set(record.sha256, blob);
  });
  if (gone.length > 0) {
    // Its pack is gone (gc elsewhere): the blob may be stored again in another pack, or not at all.
    gone.forEach((sha) => cache.delete(sha));
    const again = await getBlobs(db, gone, false).catch((error: unknown) => {
      if (error instanceof MissingObjectError) missing.push(...error.ids);
      else throw error;
      return new Map<string, Blob>();
    });
    again.forEach((blob, sha) => blobs.set(sha, blob));
  }
  if (missing.length > 0) throw new MissingObjectError(missing);
  return blobs;
}
