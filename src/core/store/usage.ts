import { allRecords } from './blob-records';
import type { PawprintDB } from './schema';

export interface StoreUsage {
  blobs: number;
  /** Sum of blob sizes (each stored once, however often referenced). */
  blobBytes: number;
  objects: number;
}

export async function usage(db: PawprintDB): Promise<StoreUsage> {
  const tx = db.transaction(['blobs', 'blobGroups', 'objects']);
  const [blobs, objects] = await Promise.all([allRecords(tx), tx.objectStore('objects').count()]);
  return { blobs: blobs.length, blobBytes: blobs.reduce((total, record) => total + record.size, 0), objects };
}
