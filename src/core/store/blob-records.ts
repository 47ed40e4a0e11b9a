import type { IDBPTransaction } from 'idb';
import { knownPresent } from './known-blobs';
import { keysAround, presentKeys } from './present-keys';
import type { BlobGroup, BlobRecord, PawprintSchema, StoreName } from './schema';

/** Records per group: one IndexedDB value of ~10 KB instead of 64 values. */
export const BLOB_GROUP_SIZE = 64;

/** Any transaction over `blobs`, `blobGroups` and `meta` (and possibly more stores). */
export type RecordsTx = IDBPTransaction<PawprintSchema, StoreName[], IDBTransactionMode>;

/** Stores whose transactions read blob records. */
export const RECORD_STORES = ['blobs', 'blobGroups', 'meta'] as const satisfies StoreName[];

/**
 * The records of those of `shas` that are stored, wherever the record is: in
 * `blobs` (one per value) or in a group. A group's record wins: a blob is
 * written to a group only when `blobs` had no usable record for it.
 */
export async function findRecords(
  tx: RecordsTx,
  shas: Iterable<string>,
  options: { onGroup?: (records: readonly BlobRecord[]) => void } = {},
): Promise<Map<string, BlobRecord>> {
  const found = new Map<string, BlobRecord>();
  const asked = [...new Set(shas)];
  if (asked.length === 0) return found;
  // Blobs this connection knows are absent need no lookup: new files in an ingest, most of them.
  const known = await knownPresent(tx, asked);
  const lookups = known ? asked.filter((sha) => known.has(sha)) : asked;
  if (lookups.length === 0) return found;
  const blobs = tx.objectStore('blobs');
  const [single, grouped] = await Promise.all([
    presentKeys(blobs, lookups).then((present) => Promise.all([...present].map((sha) => blobs.get(sha) as Promise<BlobRecord | undefined>))),
    groupsHolding(tx, lookups),
  ]);
  for (const record of single) if (record) found.set(record.sha256, record);
  const wanted = new Set(lookups);
  for (const group of grouped) {
    options.onGroup?.(group.records);
    for (const record of group.records) if (wanted.has(record.sha256)) found.set(record.sha256, record);
  }
  return found;
}

/** Which of `shas` are stored: from this connection's known set when it is current, else from the records. */
export async function presentBlobs(tx: RecordsTx, shas: readonly string[]): Promise<Set<string>> {
  return (await knownPresent(tx, shas)) ?? new Set((await findRecords(tx, shas)).keys());
}

/** The groups holding any of `shas` (and maybe others from the range they span: keysAround), each once. */
async function groupsHolding(tx: RecordsTx, shas: readonly string[]): Promise<BlobGroup[]> {
  const groups = tx.objectStore('blobGroups');
  const ids = new Set(await keysAround(groups.index('sha256'), shas));
  const values = (await Promise.all([...ids].map((id) => groups.get(id)))) as (BlobGroup | undefined)[];
  return values.filter((group) => group !== undefined);
}

/** Every blob record, single and grouped. */
export async function allRecords(tx: RecordsTx): Promise<BlobRecord[]> {
  const stored = allGroupsAndSingles(tx);
  const [single, groups] = await Promise.all([stored.single, stored.groups]);
  return [...single, ...groups.flatMap((group) => group.records)];
}

/** The records in `blobs` and the groups, as stored. */
export function allGroupsAndSingles(tx: RecordsTx): { single: Promise<BlobRecord[]>; groups: Promise<BlobGroup[]> } {
  return {
    single: tx.objectStore('blobs').getAll() as Promise<BlobRecord[]>,
    groups: tx.objectStore('blobGroups').getAll() as Promise<BlobGroup[]>,
  };
}

/** Writes records as groups of BLOB_GROUP_SIZE (the caller has checked none is stored in a group yet). */
export async function putGrouped(tx: IDBPTransaction<PawprintSchema, StoreName[], 'readwrite'>, records: readonly BlobRecord[]): Promise<void> {
  const groups = tx.objectStore('blobGroups');
  const writes: Promise<unknown>[] = [];
  for (let start = 0; start < records.length; start += BLOB_GROUP_SIZE) {
    const chunk = records.slice(start, start + BLOB_GROUP_SIZE);
    writes.push(groups.add({ shas: chunk.map((record) => record.sha256), records: chunk }));
  }
  await Promise.all(writes);
}

/**
 * The writes that delete the records (and blobData bytes) of the blobs `dead`
 * names: a record in `blobs` goes with its bytes, a group is written again
 * without its dead records, or deleted when none is left.
 */
export function deleteRecords(
  tx: IDBPTransaction<PawprintSchema, StoreName[], 'readwrite'>,
  singles: readonly BlobRecord[],
  groups: readonly BlobGroup[],
  dead: (sha256: string) => boolean,
): Promise<unknown>[] {
  const blobGroups = tx.objectStore('blobGroups');
  return [
    ...singles.filter((record) => dead(record.sha256)).flatMap(({ sha256 }) => [tx.objectStore('blobs').delete(sha256), tx.objectStore('blobData').delete(sha256)]),
    ...groups.flatMap((group) => {
      const live = group.records.filter((record) => !dead(record.sha256));
      if (live.length === group.records.length) return [];
      return [live.length === 0 ? blobGroups.delete(group.id!) : blobGroups.put({ id: group.id!, shas: live.map((record) => record.sha256), records: live })];
    }),
  ];
}
