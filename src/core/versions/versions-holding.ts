import type { Store } from '../store';
import { readRefState } from './ref-state';

/** Where a blob is used on the timeline: as which files, in which versions. */
export interface BlobUse {
  /** Relpaths of the files with this content ("model weights" for a model's). */
  paths: string[];
  versions: string[];
}

/**
 * For each blob asked about, the timeline versions that hold it (as a file of
 * their data set or as their model's weights) and under which paths: what a
 * damaged blob affects, named as the user knows it.
 */
export async function versionsHolding(store: Store, shas: Iterable<string>): Promise<Map<string, BlobUse>> {
  const wanted = new Set(shas);
  const uses = new Map<string, BlobUse>();
  if (wanted.size === 0) return uses;
  const refs = await readRefState(store);
  const versions = await store.getObjects(refs.timeline.keys(), 'version');
  const [datasets, models] = await Promise.all([
    store.getObjects([...versions.values()].map((version) => version.dataset), 'dataset'),
    store.getObjects([...versions.values()].map((version) => version.model), 'model'),
  ]);
  const use = (sha: string) => uses.get(sha) ?? uses.set(sha, { paths: [], versions: [] }).get(sha)!;
  const addOnce = (list: string[], item: string) => list.includes(item) || list.push(item);
  for (const [id, version] of versions) {
    for (const entry of datasets.get(version.dataset)!.entries) {
      if (!wanted.has(entry.sha256)) continue;
      addOnce(use(entry.sha256).paths, entry.path);
      addOnce(use(entry.sha256).versions, id);
    }
    const weights = version.model === null ? null : models.get(version.model)!.weights;
    if (weights !== null && wanted.has(weights)) {
      addOnce(use(weights).paths, 'model weights');
      addOnce(use(weights).versions, id);
    }
  }
  return uses;
}
