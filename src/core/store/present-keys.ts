/** The part of an object store or index these lookups need (any transaction mode). */
interface KeyedSource<Key> {
  count(range: IDBKeyRange): Promise<number>;
  getAllKeys(range: IDBKeyRange): Promise<Key[]>;
  getKey(key: string): Promise<Key | undefined>;
}

/**
 * The primary keys of the records `keys` find in a store or index, possibly
 * with those of other records in the range the keys span. Each request is a
 * round trip to the browser's storage process, so when the source holds few
 * other entries in that range (an ingest into a new or small store, a commit
 * of the blobs just stored), one getAllKeys over the range replaces one
 * getKey per key; otherwise each key is looked up.
 */
export async function keysAround<Key>(source: KeyedSource<Key>, keys: readonly string[]): Promise<Key[]> {
  if (keys.length === 0) return [];
  const sorted = [...keys].sort();
  const range = IDBKeyRange.bound(sorted[0]!, sorted[sorted.length - 1]!);
  if ((await source.count(range)) <= 4 * keys.length) return source.getAllKeys(range);
  const found = await Promise.all(keys.map((key) => source.getKey(key)));
  return found.filter((key) => key !== undefined);
}

/** Which of `keys` an object store holds (its keys are the keys asked for). */
export async function presentKeys(store: KeyedSource<string>, keys: readonly string[]): Promise<Set<string>> {
  const wanted = new Set(keys);
  return new Set((await keysAround(store, keys)).filter((key) => wanted.has(key)));
}
