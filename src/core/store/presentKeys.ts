/** The part of an object store presentKeys needs (any transaction mode). */
interface KeyedStore {
  count(range: IDBKeyRange): Promise<number>;
  getAllKeys(range: IDBKeyRange): Promise<string[]>;
  getKey(key: string): Promise<string | undefined>;
}

/**
 * Which of `keys` the store holds. Each request is a round trip to the
 * browser's storage process, so when the store holds few other keys in the
 * range the keys span (an ingest into a new or small store, a commit of the
 * blobs just stored), one getAllKeys over that range replaces one getKey per
 * key; otherwise each key is looked up.
 */
export async function presentKeys(store: KeyedStore, keys: readonly string[]): Promise<Set<string>> {
  if (keys.length === 0) return new Set();
  const sorted = [...keys].sort();
  const range = IDBKeyRange.bound(sorted[0]!, sorted[sorted.length - 1]!);
  if ((await store.count(range)) <= 4 * keys.length) {
    const wanted = new Set(keys);
    return new Set((await store.getAllKeys(range)).filter((key) => wanted.has(key)));
  }
  const found = await Promise.all(keys.map((key) => store.getKey(key)));
  return new Set(keys.filter((_, i) => found[i] !== undefined));
}
