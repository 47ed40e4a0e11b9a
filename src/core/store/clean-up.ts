import { allGroupsAndSingles } from './blob-records';
import { planCleanUp, summarize, type PackPlan, type UnreachableSummary } from './clean-up-plan';
import { sweep } from './gc';
import { createPackWriter } from './packs/pack-writer';
import { readPackRange, removePackFile, truncatePack } from './packs/pack-files';
import { forgetPackLocations } from './read-blobs';
import type { BlobRecord, PackLocation, PawprintDB } from './schema';
import { writeTransaction } from './transaction';

export interface CleanUpOptions {
  /** Also drop every derived value (pixel and feature caches), not only those made from what is gone: rebuilt when needed. */
  dropCaches?: boolean;
  signal?: AbortSignal;
}

export interface CleanUpResult {
  /** What was found, as unreachable() reports it. */
  found: UnreachableSummary;
  /** Bytes actually freed (dead blobs and records, pack files and tails, derived values, leftover folders). */
  bytesFreed: number;
  blobsDeleted: number;
  objectsDeleted: number;
  packFilesDeleted: number;
  derivedDeleted: number;
  /** Pack files still open by a writer (another tab's ingest past the lock cannot exist; a crashed handle can): left for next time. */
  packFilesInUse: number;
}

/**
 * Removes what no ref reaches (the caller holds the store lock, which every
 * writer holds from its first blob to the ref naming it, so nothing found is
 * another tab's work in progress): blob and object records (gc's sweep),
 * pack files nothing in them is reached by, the dead tail of a pack (cut)
 * and dead blobs between live ones (the live ones are copied into a new pack
 * and their records moved in one transaction before the old pack goes),
 * derived values made from what is gone (every one with dropCaches), and
 * pack folders of databases that no longer exist.
 */
export async function cleanUp(db: PawprintDB, options: CleanUpOptions = {}): Promise<CleanUpResult> {
  const plan = await planCleanUp(db, options);
  const found = summarize(plan);
  options.signal?.throwIfAborted();
  const { result: swept } = await sweep(db, { signal: options.signal });
  forgetPackLocations(db);
  let bytesFreed = plan.deadBlobs.filter((record) => !record.pack).reduce((total, record) => total + record.size, 0);
  bytesFreed += plan.deadObjects.reduce((total, object) => total + object.bytes, 0);

  if (plan.derived.length > 0) {
    await writeTransaction(db, ['derived'], async (tx) => {
      await Promise.all(plan.derived.map(({ key }) => tx.objectStore('derived').delete(key)));
    });
    bytesFreed += plan.derived.reduce((total, entry) => total + entry.bytes, 0);
  }

  let packFilesDeleted = 0;
  let packFilesInUse = 0;
  for (const pack of plan.packs) {
    if (pack.action === 'keep') continue;
    const freed = await cleanPack(db, pack);
    if (freed === null) packFilesInUse++;
    else {
      bytesFreed += freed;
      if (pack.action === 'delete') packFilesDeleted++;
    }
  }
  forgetPackLocations(db);

  const root = plan.leftoverFolders.length > 0 ? await navigator.storage.getDirectory() : null;
  for (const folder of plan.leftoverFolders) {
    await root!.removeEntry(folder.name, { recursive: true });
    bytesFreed += folder.bytes;
  }
  return {
    found,
    bytesFreed,
    blobsDeleted: swept.blobsDeleted,
    objectsDeleted: swept.objectsDeleted,
    packFilesDeleted,
    derivedDeleted: plan.derived.length,
    packFilesInUse,
  };
}

/** Frees a pack's dead bytes; the bytes freed, or null when the file is open elsewhere. */
async function cleanPack(db: PawprintDB, pack: PackPlan): Promise<number | null> {
  if (pack.action === 'delete') return (await removePackFile(db.name, pack.file)) ? pack.size : null;
  if (pack.action === 'truncate') {
    const end = pack.live.reduce((max, record) => Math.max(max, record.pack!.offset + record.size), 0);
    return (await truncatePack(db.name, pack.file, end)) ? pack.size - end : null;
  }
  return compactPack(db, pack);
}

/** Bytes copied per read while compacting: live blobs are read in runs of up to this. */
const COPY_BYTES = 16 * 1024 * 1024;

/**
 * Copies a pack's live blobs into a new pack, flushes it, moves their records
 * to it in one transaction, then deletes the old pack. A crash before the
 * records move leaves an unused new pack, after it an unused old one: either
 * is what the next Clean up deletes; no record ever names missing bytes.
 */
async function compactPack(db: PawprintDB, pack: PackPlan): Promise<number | null> {
  const writer = await createPackWriter(db.name);
  const moved = new Map<string, PackLocation>();
  try {
    for (let i = 0; i < pack.live.length; ) {
      const first = pack.live[i]!;
      let j = i;
      let end = first.pack!.offset + first.size;
      while (j + 1 < pack.live.length && pack.live[j + 1]!.pack!.offset + pack.live[j + 1]!.size - first.pack!.offset <= COPY_BYTES) {
        j++;
        end = Math.max(end, pack.live[j]!.pack!.offset + pack.live[j]!.size);
      }
      const bytes = await readPackRange(db.name, pack.file, first.pack!.offset, end);
      for (const record of pack.live.slice(i, j + 1)) {
        const at = record.pack!.offset - first.pack!.offset;
        moved.set(record.sha256, { file: writer.file, offset: writer.append(bytes.subarray(at, at + record.size)) });
      }
      i = j + 1;
    }
    writer.flush();
  } finally {
    await writer.close();
  }
  await relocate(db, pack.file, moved);
  return (await removePackFile(db.name, pack.file)) ? pack.size - pack.live.reduce((total, record) => total + record.size, 0) : null;
}

/** Points the records of blobs moved out of pack `from` at their new place, in one transaction. */
async function relocate(db: PawprintDB, from: string, moved: ReadonlyMap<string, PackLocation>): Promise<void> {
  const at = (record: BlobRecord): BlobRecord => (record.pack?.file === from && moved.has(record.sha256) ? { ...record, pack: moved.get(record.sha256)! } : record);
  await writeTransaction(db, ['blobs', 'blobGroups'], async (tx) => {
    const stored = allGroupsAndSingles(tx);
    const [singles, groups] = await Promise.all([stored.single, stored.groups]);
    await Promise.all([
      ...singles.filter((record) => at(record) !== record).map((record) => tx.objectStore('blobs').put(at(record))),
      ...groups.filter((group) => group.records.some((record) => at(record) !== record)).map((group) => tx.objectStore('blobGroups').put({ ...group, records: group.records.map(at) })),
    ]);
  });
}
