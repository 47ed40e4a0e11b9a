import { allGroupsAndSingles, deleteRecords } from './blob-records';
import { noteBlobChanges } from './known-blobs';
import { dropFeatures } from './features';
import { forgetPackLocations } from './read-blobs';
import { markLive, type MarkOptions } from './mark';
import { deleteUnusedPacks } from './packs/delete-unused-packs';
import type { PawprintDB } from './schema';
import { writeTransaction } from './transaction';

export type GcOptions = MarkOptions;

export interface GcResult {
  objectsDeleted: number;
  blobsDeleted: number;
  bytesFreed: number;
}

/**
 * Deletes every object and blob not reachable from a ref (through datasets,
 * models and their blobs) or from the keep sets. A version's parent is not
 * followed: it is history, not ownership, so deleting a version's ref frees
 * what only that version held even if a later version names it as parent
 * (verify then lists the parent as missing, which is not an error). Mark
 * and sweep run in one transaction, so a commit cannot slip in between and
 * lose its blobs; aborting (or any error) deletes nothing. Afterwards the
 * pack files no remaining blob lives in are deleted; a pack that still holds
 * one live blob keeps its dead blobs' bytes too (unreferenced, not counted
 * by usage(), freed with the pack's last blob). Cached bottleneck features of
 * the deleted images go last (derived data, outside the sweep's transaction).
 */
export async function gc(db: PawprintDB, options: GcOptions = {}): Promise<GcResult> {
  const { signal } = options;
  signal?.throwIfAborted();
  const { result, livePacks, liveBlobs } = await sweep(db, options);
  forgetPackLocations(db);
  await deleteUnusedPacks(db.name, livePacks);
  if (result.blobsDeleted > 0) await dropFeatures(db, liveBlobs);
  return result;
}

/** Mark and sweep in one transaction; also names the pack files the remaining blobs live in, and the blobs kept. */
export function sweep(db: PawprintDB, options: GcOptions): Promise<{ result: GcResult; livePacks: Set<string>; liveBlobs: Set<string> }> {
  const { signal } = options;
  return writeTransaction(db, ['refs', 'objects', 'blobs', 'blobGroups', 'blobData', 'meta'], async (tx) => {
    const objects = tx.objectStore('objects');
    const { objects: liveObjects, blobs: liveBlobs } = await markLive(tx, options);
    signal?.throwIfAborted();
    const stored = allGroupsAndSingles(tx);
    const [objectIds, singleRecords, groups, dataKeys] = await Promise.all([
      objects.getAllKeys(),
      stored.single,
      stored.groups,
      tx.objectStore('blobData').getAllKeys(),
    ]);
    const blobRecords = [...singleRecords, ...groups.flatMap((group) => group.records)];
    const deadObjects = objectIds.filter((id) => !liveObjects.has(id));
    const deadBlobs = blobRecords.filter((record) => !liveBlobs.has(record.sha256));
    // Bytes without a record cannot come from putBlob (it writes both
    // together); they are swept as well so none are stranded.
    const recorded = new Set(blobRecords.map((record) => record.sha256));
    const strandedData = dataKeys.filter((sha) => !recorded.has(sha) && !liveBlobs.has(sha));

    await Promise.all([
      ...deadObjects.map((id) => objects.delete(id)),
      ...deleteRecords(tx, singleRecords, groups, (sha) => !liveBlobs.has(sha)),
      ...strandedData.map((sha) => tx.objectStore('blobData').delete(sha)),
      ...(deadBlobs.length > 0 ? [noteBlobChanges(tx, { deleted: deadBlobs.map((record) => record.sha256) })] : []),
    ]);
    const livePacks = new Set(blobRecords.flatMap((record) => (record.pack && liveBlobs.has(record.sha256) ? [record.pack.file] : [])));
    const result = {
      objectsDeleted: deadObjects.length,
      blobsDeleted: deadBlobs.length,
      bytesFreed: deadBlobs.reduce((total, record) => total + record.size, 0),
    };
    return { result, livePacks, liveBlobs };
  });
}
