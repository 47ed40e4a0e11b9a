import type { PawprintDB } from './schema';
import { writeTransaction } from './transaction';

/** The derived cache: values rebuilt from blobs on demand (decoded pixels, thumbnails…). */
export function getDerived(db: PawprintDB, key: string): Promise<unknown> {
  return db.get('derived', key);
}

export async function putDerived(db: PawprintDB, key: string, value: unknown): Promise<void> {
  await writeTransaction(db, ['derived'], async (tx) => {
    await tx.objectStore('derived').put(value, key);
  });
}

export async function deleteDerived(db: PawprintDB, key: string): Promise<void> {
  await writeTransaction(db, ['derived'], async (tx) => {
    await tx.objectStore('derived').delete(key);
  });
}

/** Drops the whole cache; it is rebuilt as needed. */
export async function clearDerived(db: PawprintDB): Promise<void> {
  await writeTransaction(db, ['derived'], async (tx) => {
    await tx.objectStore('derived').clear();
  });
}
