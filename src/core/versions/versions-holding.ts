import type { Store } from '../store';
import { datasetBlobSizes } from './dataset-blobs';
import { readObjectsOfKind } from './read-objects';
import { readRefState } from './ref-state';

/**
 * For each blob asked about, the timeline versions that hold it (as a file of
 * their data set or as their model's weights): what a damaged blob affects.
 */
export async function versionsHolding(store: Store, shas: Iterable<string>): Promise<Map<string, string[]>> {
  const wanted = new Set(shas);
  const holding = new Map<string, string[]>();
  if (wanted.size === 0) return holding;
  const refs = await readRefState(store);
  const versions = await readObjectsOfKind(store, refs.timeline.keys(), 'version');
  const [blobsByDataset, models] = await Promise.all([
    datasetBlobSizes(store, new Set([...versions.values()].map((version) => version.dataset))),
    readObjectsOfKind(store, [...versions.values()].map((version) => version.model), 'model'),
  ]);
  for (const [id, version] of versions) {
    const held = new Set([...(blobsByDataset.get(version.dataset)?.keys() ?? [])]);
    if (version.model !== null) held.add(models.get(version.model)!.weights);
    for (const sha of wanted) if (held.has(sha)) holding.set(sha, [...(holding.get(sha) ?? []), id]);
  }
  return holding;
}
