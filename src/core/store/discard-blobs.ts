import { allGroupsAndSingles, deleteRecords } from './blob-records';
import { noteBlobChanges } from './known-blobs';
import { removePackFile } from './packs/pack-files';
import { forgetPackLocations } from './read-blobs';
import type { PawprintDB } from './schema';
import { writeTransaction } from './transaction';

/**
 * Takes back blobs the caller stored and has not referenced: an ingest that
 * failed (quota, a refused data set) or was cancelled leaves nothing behind.
 * Only for blobs this caller stored as new while holding the store lock, which
 * it still holds: no one else can have referenced them. Their records go in
 * one transaction, then every pack file that no record names any more.
 */
export async function discardBlobs(db: PawprintDB, shas: Iterable<string>): Promise<void> {
  const discarded = new Set(shas);
  if (discarded.size === 0) return;
  const emptied = await writeTransaction(db, ['blobs', 'blobGroups', 'blobData', 'meta'], async (tx) => {
    const stored = allGroupsAndSingles(tx);
    const [singles, groups] = await Promise.all([stored.single, stored.groups]);
    const records = [...singles, ...groups.flatMap((group) => group.records)];
    const packs = new Set(records.flatMap((record) => (record.pack && discarded.has(record.sha256) ? [record.pack.file] : [])));
    for (const record of records) if (record.pack && !discarded.has(record.sha256)) packs.delete(record.pack.file);
    await Promise.all([...deleteRecords(tx, singles, groups, (sha) => discarded.has(sha)), noteBlobChanges(tx, { deleted: discarded })]);
    return packs;
  });
  forgetPackLocations(db);
  for (const file of emptied) await removePackFile(db.name, file);
}
