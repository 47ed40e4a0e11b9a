import { noteBlobChanges } from './known-blobs';
import type { PreparedBlob, PutBlobResult } from './put-blobs';
import type { BlobRecord, PawprintDB } from './schema';
import { existingRecords } from './stored-blob';
import { writeTransaction } from './transaction';

/**
 * Writes the blobs not yet present, each record together with its bytes in
 * blobData, in one transaction. A record whose bytes went missing is written again.
 */
export async function writeInline(db: PawprintDB, batch: readonly PreparedBlob[]): Promise<PutBlobResult[]> {
  const bytes = batch.reduce((total, { record }) => total + record.size, 0);
  return writeTransaction(
    db,
    ['blobs', 'blobGroups', 'blobData', 'meta'],
    async (tx) => {
      const records = tx.objectStore('blobs');
      const data = tx.objectStore('blobData');
      const { existing } = await existingRecords(tx, batch);
      const written = new Map<string, BlobRecord>();
      // async callbacks: a request that throws becomes a rejection that
      // Promise.all observes, alongside every request already issued.
      const results = await Promise.all(
        batch.map(async (prepared, i): Promise<PutBlobResult> => {
          const { sha256 } = prepared.record;
          const present = existing[i] ?? written.get(sha256);
          if (present) return { record: present, stored: false };
          written.set(sha256, prepared.record);
          await data.put(prepared.bytes, sha256);
          await records.put(prepared.record);
          return { record: prepared.record, stored: true };
        }),
      );
      if (written.size > 0) await noteBlobChanges(tx, { added: written.keys() });
      return results;
    },
    bytes,
  );
}
