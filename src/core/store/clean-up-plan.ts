import { allGroupsAndSingles } from './blob-records';
import { isDerivedGarbage, sizeOfValue } from './derived-sources';
import { markLive, type LiveSet } from './mark';
import { listPackFolder } from './packs/pack-files';
import type { BlobRecord, PawprintDB } from './schema';

/** What one pack file holds that something reaches, and what Clean up would do with the rest. */
export interface PackPlan {
  file: string;
  size: number;
  /** Live blobs' records, by offset. */
  live: BlobRecord[];
  /** keep: every byte is live; delete: none is; truncate: the dead bytes are all after the last live one; compact: live blobs are copied to a new pack. */
  action: 'keep' | 'delete' | 'truncate' | 'compact';
  deadBytes: number;
}

/** Where unreachable bytes are, found under the store lock, so no writer is between storing and referencing them. */
export interface CleanUpPlan {
  live: LiveSet;
  deadObjects: { id: string; bytes: number }[];
  deadBlobs: BlobRecord[];
  /** Bytes in blobData that no record names (written by no current code path; swept all the same). */
  strandedData: string[];
  packs: PackPlan[];
  /** Derived values made from what is gone (or every one, when caches are dropped too). */
  derived: { key: string; bytes: number }[];
  /** How many derived values there are (the caches), for the separate choice of dropping them all. */
  caches: number;
  /** Pack folders of databases that no longer exist: OPFS leftovers. */
  leftoverFolders: { name: string; bytes: number }[];
}

/** What a Clean up would free, for Verify, the start-up check and the Storage panel. */
export interface UnreachableSummary {
  /** Blob records nothing reaches. */
  blobs: number;
  /** Records of data sets, models and versions nothing reaches. */
  objects: number;
  /** Pack files nothing in them is reached by. */
  packFiles: number;
  /** Derived values whose sources are gone. */
  derivedEntries: number;
  /** Everything a Clean up frees, in bytes: dead bytes in packs and blobData, object records, derived values, leftover folders. */
  bytes: number;
  /** Derived values in all (the caches), which a Clean up drops only when asked. */
  caches: number;
}

export async function planCleanUp(db: PawprintDB, options: { dropCaches?: boolean; signal?: AbortSignal } = {}): Promise<CleanUpPlan> {
  const tx = db.transaction(['refs', 'objects', 'blobs', 'blobGroups', 'blobData', 'meta']);
  const live = await markLive(tx as Parameters<typeof markLive>[0], { signal: options.signal });
  const stored = allGroupsAndSingles(tx);
  const [objectIds, singles, groups, dataKeys] = await Promise.all([tx.objectStore('objects').getAllKeys(), stored.single, stored.groups, tx.objectStore('blobData').getAllKeys()]);
  const deadIds = objectIds.filter((id) => !live.objects.has(id));
  const deadObjects = await Promise.all(deadIds.map(async (id) => ({ id, bytes: (await tx.objectStore('objects').get(id))?.json.length ?? 0 })));
  const records = [...singles, ...groups.flatMap((group) => group.records)];
  const deadBlobs = records.filter((record) => !live.blobs.has(record.sha256));
  const recorded = new Set(records.map((record) => record.sha256));
  const strandedData = dataKeys.filter((sha) => !recorded.has(sha) && !live.blobs.has(sha));

  const livePacked = new Map<string, BlobRecord[]>();
  for (const record of records) {
    if (!record.pack || !live.blobs.has(record.sha256)) continue;
    const list = livePacked.get(record.pack.file) ?? livePacked.set(record.pack.file, []).get(record.pack.file)!;
    list.push(record);
  }
  const packs = [...(await listPackFolder(db.name))].map(([file, size]) => packPlan(file, size, livePacked.get(file) ?? []));
  const { derived, caches } = await derivedPlan(db, live, options.dropCaches ?? false);
  return { live, deadObjects, deadBlobs, strandedData, packs, derived, caches, leftoverFolders: await leftoverFolders(db.name) };
}

export function summarize(plan: CleanUpPlan): UnreachableSummary {
  const inline = plan.deadBlobs.filter((record) => !record.pack).reduce((total, record) => total + record.size, 0);
  const sum = (items: readonly { bytes: number }[]) => items.reduce((total, item) => total + item.bytes, 0);
  return {
    blobs: plan.deadBlobs.length,
    objects: plan.deadObjects.length,
    packFiles: plan.packs.filter((pack) => pack.action === 'delete').length,
    derivedEntries: plan.derived.length,
    bytes: inline + plan.packs.reduce((total, pack) => total + pack.deadBytes, 0) + sum(plan.deadObjects) + sum(plan.derived) + sum(plan.leftoverFolders),
    caches: plan.caches,
  };
}

function packPlan(file: string, size: number, live: BlobRecord[]): PackPlan {
  live.sort((a, b) => a.pack!.offset - b.pack!.offset);
  const liveBytes = live.reduce((total, record) => total + record.size, 0);
  const liveEnd = live.reduce((end, record) => Math.max(end, record.pack!.offset + record.size), 0);
  const deadBytes = Math.max(0, size - liveBytes);
  const action = live.length === 0 ? 'delete' : deadBytes === 0 ? 'keep' : liveBytes === liveEnd ? 'truncate' : 'compact';
  return { file, size, live, action, deadBytes };
}

/** Derived values sized per read transaction: feature rows are one value per image (20 000 for a large set). */
const SIZE_BATCH = 256;

/**
 * Derived values made from what is no longer reached (all of them with
 * dropCaches), each with its size. Only those are read: a pixel cache is tens
 * of MB, and the start-up check must not read every one to find none stale.
 */
async function derivedPlan(db: PawprintDB, live: LiveSet, dropCaches: boolean): Promise<Pick<CleanUpPlan, 'derived' | 'caches'>> {
  const reached = (id: string) => live.objects.has(id) || live.blobs.has(id);
  const keys = (await db.getAllKeys('derived')).map(String);
  const chosen = keys.filter((key) => dropCaches || isDerivedGarbage(key, reached));
  const derived: { key: string; bytes: number }[] = [];
  for (let i = 0; i < chosen.length; i += SIZE_BATCH) {
    const batch = chosen.slice(i, i + SIZE_BATCH);
    const tx = db.transaction('derived');
    const values = await Promise.all(batch.map((key) => tx.store.get(key)));
    batch.forEach((key, j) => derived.push({ key, bytes: sizeOfValue(values[j]) + key.length }));
  }
  return { derived, caches: keys.length };
}

const PACKS_SUFFIX = '.packs';

/** Pack folders in OPFS whose database is gone (deleted stores, test runs): nothing can reach their files. */
async function leftoverFolders(dbName: string): Promise<{ name: string; bytes: number }[]> {
  const storage = globalThis.navigator?.storage;
  if (typeof storage?.getDirectory !== 'function' || typeof indexedDB?.databases !== 'function') return [];
  const databases = new Set((await indexedDB.databases()).map((database) => database.name));
  databases.add(dbName);
  const root = (await storage.getDirectory()) as FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> };
  const leftovers: { name: string; bytes: number }[] = [];
  for await (const [name, handle] of root.entries()) {
    if (handle.kind !== 'directory' || !name.endsWith(PACKS_SUFFIX) || databases.has(name.slice(0, -PACKS_SUFFIX.length))) continue;
    leftovers.push({ name, bytes: await folderBytes(handle as FileSystemDirectoryHandle) });
  }
  return leftovers;
}

async function folderBytes(folder: FileSystemDirectoryHandle): Promise<number> {
  let total = 0;
  for await (const [, handle] of (folder as FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
    total += handle.kind === 'file' ? (await (handle as FileSystemFileHandle).getFile()).size : await folderBytes(handle as FileSystemDirectoryHandle);
  }
  return total;
}
