import { referencesOf } from '../objects/references-of';
import type { PawprintObject } from '../objects/types';
import { bodyOf } from './read-objects';
import { allGroupsAndSingles } from './blob-records';
import { noteBlobChanges } from './known-blobs';
import { dropFeatures } from './features';
import { forgetPackLocations } from './read-blobs';
import { deleteUnusedPacks } from './packs/delete-unused-packs';
import type { PawprintDB } from './schema';
import { writeTransaction } from './transaction';

export interface GcOptions {
  signal?: AbortSignal;
  /** Blobs to keep although nothing references them yet (an ingest in progress). */
  keepBlobs?: Iterable<string>;
  /** Extra roots: kept, with everything they reference (work not yet committed to a ref). */
  keepObjects?: Iterable<string>;
}

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
function sweep(db: PawprintDB, options: GcOptions): Promise<{ result: GcResult; livePacks: Set<string>; liveBlobs: Set<string> }> {
  const { signal } = options;
  return writeTransaction(db, ['refs', 'objects', 'blobs', 'blobGroups', 'blobData', 'meta'], async (tx) => {
    const objects = tx.objectStore('objects');
    const refs = await tx.objectStore('refs').getAll();

    const liveObjects = new Set<string>();
    const liveBlobs = new Set(options.keepBlobs);
    let frontier = [...new Set([...refs.map((ref) => ref.target), ...(options.keepObjects ?? [])])];
    while (frontier.length > 0) {
      signal?.throwIfAborted();
      frontier.forEach((id) => liveObjects.add(id));
      const records = await Promise.all(frontier.map((id) => objects.get(id)));
      const next = new Set<string>();
      for (const record of records) {
        if (record === undefined) continue; // dangling: verify reports it, gc just walks on
        const { blobs, objects: children } = referencesOf(bodyOf(record) as PawprintObject);
        blobs.forEach((sha) => liveBlobs.add(sha));
        children.filter((id) => !liveObjects.has(id)).forEach((id) => next.add(id));
      }
      frontier = [...next];
    }

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
    // A group with dead records is written again without them, or deleted when none is left.
    const groupWrites = groups.flatMap((group) => {
      const live = group.records.filter((record) => liveBlobs.has(record.sha256));
      if (live.length === group.records.length) return [];
      const blobGroups = tx.objectStore('blobGroups');
      return [live.length === 0 ? blobGroups.delete(group.id!) : blobGroups.put({ id: group.id!, shas: live.map((record) => record.sha256), records: live })];
    });
    // Bytes without a record cannot come from putBlob (it writes both
    // together); they are swept as well so none are stranded.
    const recorded = new Set(blobRecords.map((record) => record.sha256));
    const strandedData = dataKeys.filter((sha) => !recorded.has(sha) && !liveBlobs.has(sha));

    await Promise.all([
      ...deadObjects.map((id) => objects.delete(id)),
      ...singleRecords.filter((record) => !liveBlobs.has(record.sha256)).flatMap(({ sha256 }) => [tx.objectStore('blobs').delete(sha256), tx.objectStore('blobData').delete(sha256)]),
      ...groupWrites,
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
