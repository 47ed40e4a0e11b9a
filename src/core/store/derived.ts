import type { PawprintDB } from './schema';
import { writeTransaction } from './transaction';

/** The derived cache: values rebuilt from blobs and objects on demand (decoded pixels, per-data-set figures…). */
export function getDerived(db: PawprintDB, key: string): Promise<unknown> {
  return db.get('derived', key);
}

/** Several cached values in one transaction, in the order of `keys` (undefined where absent). */
export async function getDerivedMany(db: PawprintDB, keys: readonly string[]): Promise<unknown[]> {
  const derived = db.transaction('derived').store;
  return Promise.all(keys.map((key) => derived.get(key)));
}

/** The keys of the cached values whose key starts with `prefix`. */
export function derivedKeys(db: PawprintDB, prefix: string): Promise<string[]> {
  return db.getAllKeys('derived', IDBKeyRange.bound(prefix, `${prefix}\uffff`));
}

export interface DerivedUpdate {
  put?: Iterable<readonly [key: string, value: unknown]>;
  delete?: Iterable<string>;
}

/** Puts and deletes cached values in one transaction. */
export async function updateDerived(db: PawprintDB, update: DerivedUpdate): Promise<void> {
  const puts = [...(update.put ?? [])];
  const deletes = [...(update.delete ?? [])];
  if (puts.length + deletes.length === 0) return;
  await writeTransaction(db, ['derived'], async (tx) => {
    const derived = tx.objectStore('derived');
    await Promise.all([...puts.map(async ([key, value]) => derived.put(value, key)), ...deletes.map(async (key) => derived.delete(key))]);
  });
}
