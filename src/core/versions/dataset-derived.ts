import type { Dataset } from '../objects/types';
import type { Store } from '../store';
import { readObjectsOfKind } from './read-objects';

/** A value computed from a data set and kept in the derived cache. */
export interface DatasetDerivation<T> {
  name: string;
  compute: (dataset: Dataset) => T;
  /** Checks a cached value, which may come from older code or be damaged. */
  isValid: (value: unknown) => value is T;
}

const PREFIX = 'datasets/';
const keyOf = (datasetId: string, name: string) => `${PREFIX}${datasetId}/${name}`;

/**
 * Values derived from the data sets of timeline versions. A data set is
 * immutable, so what is derived from it never goes stale: a timeline of 200
 * versions with their own 2 800-file data sets would otherwise read half a
 * million entries each time it is shown. Hits are read in one transaction,
 * misses in another, and misses are cached for next time; deleteVersion
 * drops the entries of data sets gc removed.
 */
export async function derivePerDataset<T>(
  store: Store,
  datasetIds: Iterable<string>,
  derivation: DatasetDerivation<T>,
  options: { signal?: AbortSignal } = {},
): Promise<Map<string, T>> {
  const ids = [...new Set(datasetIds)];
  const derived = store.db.transaction('derived').store;
  const cached = await Promise.all(ids.map((id) => derived.get(keyOf(id, derivation.name))));
  const values = new Map<string, T>();
  ids.forEach((id, i) => {
    const value = cached[i];
    if (derivation.isValid(value)) values.set(id, value);
  });
  const missing = ids.filter((id) => !values.has(id));
  if (missing.length === 0) return values;

  options.signal?.throwIfAborted();
  const datasets = await readObjectsOfKind(store, missing, 'dataset');
  options.signal?.throwIfAborted();
  const computed = missing.map((id) => [id, derivation.compute(datasets.get(id)!)] as const);
  computed.forEach(([id, value]) => values.set(id, value));
  try {
    const tx = store.db.transaction('derived', 'readwrite');
    await Promise.all([...computed.map(async ([id, value]) => tx.store.put(value, keyOf(id, derivation.name))), tx.done]);
  } catch {
    // Only a cache (a full disk, say): the values returned are right either way.
  }
  return values;
}

/** Drops what was derived from data sets no longer stored (after gc), so the cache does not outgrow the store. */
export async function forgetDeletedDatasets(store: Store): Promise<void> {
  const keys = (await store.db.getAllKeys('derived')).filter((key) => key.startsWith(PREFIX));
  const datasetOf = (key: string) => key.slice(PREFIX.length, key.indexOf('/', PREFIX.length));
  const ids = [...new Set(keys.map(datasetOf))];
  const objects = store.db.transaction('objects').store;
  const present = await Promise.all(ids.map((id) => objects.getKey(id)));
  const gone = new Set(ids.filter((_, i) => present[i] === undefined));
  const stale = keys.filter((key) => gone.has(datasetOf(key)));
  if (stale.length === 0) return;
  const tx = store.db.transaction('derived', 'readwrite');
  await Promise.all([...stale.map(async (key) => tx.store.delete(key)), tx.done]);
}
