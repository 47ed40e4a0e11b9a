import type { Version } from '../objects/types';
import { readRegistry } from '../registry/read-registry';
import type { Store } from '../store';
import { readRefState } from './ref-state';
import { datasetFilesPerSplit, type FilesPerSplit } from './files-per-split';

export interface TimelineItem {
  id: string;
  version: Version;
  tags: string[];
  /** The registry stages its model is in now, e.g. ["production"]. */
  stages: string[];
  isHead: boolean;
  /** Uncommitted work put aside by a checkout, not a committed version. */
  isStash: boolean;
  counts: FilesPerSplit;
  valAccuracy: number | null;
}

/**
 * The versions on the timeline (`git log` over every branch), newest first
 * (by date, then id, so the order is stable). Batched reads: every version in
 * one transaction, then the split counts of each distinct data set (cached;
 * versions share data sets; blobs are never read).
 */
export async function listTimeline(store: Store, options: { signal?: AbortSignal } = {}): Promise<TimelineItem[]> {
  const refs = await readRefState(store);
  const [versions, registry] = await Promise.all([store.getObjects(refs.timeline.keys(), 'version'), readRegistry(store)]);
  const counts = await datasetFilesPerSplit(store, [...versions.values()].map((version) => version.dataset), options);
  const items = [...versions].map(([id, version]): TimelineItem => ({
    id,
    version,
    tags: refs.tagsByVersion.get(id) ?? [],
    stages: registry.stagesByVersion.get(id) ?? [],
    isHead: id === refs.head,
    isStash: refs.timeline.get(id)!.stash,
    counts: counts.get(version.dataset)!,
    valAccuracy: version.metrics['val_accuracy'] ?? null,
  }));
  return items.sort(
    (a, b) => Date.parse(b.version.createdAt) - Date.parse(a.version.createdAt) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
