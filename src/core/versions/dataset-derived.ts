import type { Dataset } from '../objects/types';
import type { Store } from '../store';

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
  const cached = await store.getDerivedMany(ids.map((id) => keyOf(id, derivation.name)));
  const values = new Map<string, T>();
  ids.forEach((id, i) => {
    const value = cached[i];
    if (derivation.isValid(value)) values.set(id, value);
  });
  const missing = ids.filter((id) => !values.has(id));
  if (missing.length === 0) return values;

  options.signal?.throwIfAborted();
  const datasets = await store.getObjects(missing, 'dataset');
  options.signal?.throwIfAborted();
  const computed = missing.map((id) => [id, derivation.compute(datasets.get(id)!)] as const);
  computed.forEach(([id, value]) => values.set(id, value));
  try {
    await store.updateDerived({ put: computed.map(([id, value]) => [keyOf(id, derivation.name), value] as const) });
  } catch {
    // Only a cache (a full disk, say): the values returned are right either way.
  }
  return values;
}

/** Drops what was derived from data sets no longer stored (after gc), so the cache does not outgrow the store. */
export async function forgetDeletedDatasets(store: Store): Promise<void> {
  const keys = await store.derivedKeys(PREFIX);
  const datasetOf = (key: string) => key.slice(PREFIX.length, key.indexOf('/', PREFIX.length));
  const gone = new Set(await store.missingObjects(keys.map(datasetOf)));
  await store.updateDerived({ delete: keys.filter((key) => gone.has(datasetOf(key))) });
}
