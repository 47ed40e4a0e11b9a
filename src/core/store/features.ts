import type { PawprintDB } from './schema';
import { writeTransaction } from './transaction';

/**
 * The bottleneck feature cache: derived data in the `derived` store, one
 * Float32Array per (feature set, image), where a feature set is one backbone,
 * feature layer and input size (`featureSetId`). Rows are kept per image, not
 * per data set, so a data set that adds images computes features for the new
 * ones only, and a checkout of an older version finds all of its rows. Like
 * every derived value they can be dropped at any time and are rebuilt on demand;
 * gc drops the rows of images no longer stored.
 */
const PREFIX = 'features/';
const rowKey = (set: string, sha256: string) => `${PREFIX}${set}/${sha256}`;
const setRange = (set: string) => IDBKeyRange.bound(`${PREFIX}${set}/`, `${PREFIX}${set}/\uffff`);
const allRows = () => IDBKeyRange.bound(PREFIX, `${PREFIX}\uffff`);

/** Stores the rows of one feature set in one transaction: all of them or none. */
export async function putFeatures(db: PawprintDB, set: string, rows: Iterable<readonly [sha256: string, values: Float32Array]>): Promise<void> {
  await writeTransaction(db, ['derived'], async (tx) => {
    const derived = tx.objectStore('derived');
    await Promise.all([...rows].map(([sha256, values]) => derived.put(values, rowKey(set, sha256))));
  });
}

/** The stored rows of `shas` in one feature set (absent: not computed yet), read in one transaction. */
export async function getFeatures(db: PawprintDB, set: string, shas: Iterable<string>): Promise<Map<string, Float32Array>> {
  const wanted = new Set(shas);
  const tx = db.transaction('derived', 'readonly');
  const [keys, values] = await Promise.all([tx.store.getAllKeys(setRange(set)), tx.store.getAll(setRange(set))]);
  const start = rowKey(set, '').length;
  const rows = new Map<string, Float32Array>();
  keys.forEach((key, i) => {
    const sha256 = key.slice(start);
    if (wanted.has(sha256)) rows.set(sha256, values[i] as Float32Array);
  });
  return rows;
}

export interface FeatureUsage {
  /** Rows stored, over every feature set. */
  rows: number;
  bytes: number;
}

export async function featureUsage(db: PawprintDB): Promise<FeatureUsage> {
  const values = (await db.getAll('derived', allRows())) as Float32Array[];
  return { rows: values.length, bytes: values.reduce((sum, row) => sum + row.byteLength, 0) };
}

/** Drops the rows of images that are no longer stored (gc's last step), or every row when `live` is omitted. */
export async function dropFeatures(db: PawprintDB, live?: ReadonlySet<string>): Promise<number> {
  return writeTransaction(db, ['derived'], async (tx) => {
    const derived = tx.objectStore('derived');
    const keys = await derived.getAllKeys(allRows());
    const dead = keys.filter((key) => !live?.has(key.slice(key.lastIndexOf('/') + 1)));
    await Promise.all(dead.map((key) => derived.delete(key)));
    return dead.length;
  });
}
