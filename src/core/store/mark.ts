import type { IDBPTransaction } from 'idb';
import { referencesOf } from '../objects/references-of';
import type { PawprintObject } from '../objects/types';
import { bodyOf } from './read-objects';
import type { PawprintSchema, StoreName } from './schema';

/** What refs (and extra roots) reach: the objects and the blobs they need. */
export interface LiveSet {
  objects: Set<string>;
  blobs: Set<string>;
}

export interface MarkOptions {
  signal?: AbortSignal;
  /** Blobs to keep although nothing references them yet (an ingest in progress). */
  keepBlobs?: Iterable<string>;
  /** Extra roots: kept, with everything they reference (work not yet committed to a ref). */
  keepObjects?: Iterable<string>;
}

/**
 * Marks from every ref through data sets, models and their blobs (a
 * version's parent is history, not ownership, and is not followed), in the
 * caller's transaction, so nothing can commit between the mark and what the
 * caller does with it.
 */
export async function markLive(tx: IDBPTransaction<PawprintSchema, StoreName[], IDBTransactionMode>, options: MarkOptions = {}): Promise<LiveSet> {
  const { signal } = options;
  const objects = tx.objectStore('objects');
  const refs = await tx.objectStore('refs').getAll();
  const live: LiveSet = { objects: new Set(), blobs: new Set(options.keepBlobs) };
  let frontier = [...new Set([...refs.map((ref) => ref.target), ...(options.keepObjects ?? [])])];
  while (frontier.length > 0) {
    signal?.throwIfAborted();
    frontier.forEach((id) => live.objects.add(id));
    const records = await Promise.all(frontier.map((id) => objects.get(id)));
    const next = new Set<string>();
    for (const record of records) {
      if (record === undefined) continue; // dangling: verify reports it, the mark walks on
      const { blobs, objects: children } = referencesOf(bodyOf(record) as PawprintObject);
      blobs.forEach((sha) => live.blobs.add(sha));
      children.filter((id) => !live.objects.has(id)).forEach((id) => next.add(id));
    }
    frontier = [...next];
  }
  return live;
}
