import { packDirectory } from './packs/directory';
import type { BlobRecord, PawprintDB } from './schema';

/** Reads the bytes of blob records, from pack files or blobData; undefined where they are gone. */
export type BlobBytesReader = (records: readonly BlobRecord[]) => Promise<(ArrayBuffer | undefined)[]>;

/**
 * A reader that opens each pack file once (a File snapshot) and reads every
 * blob's range from it. A snapshot taken while its pack was still being
 * written stops being readable once the file grows; it is then taken again.
 */
export function blobBytesReader(db: PawprintDB): BlobBytesReader {
  const files = new Map<string, Promise<File | undefined>>();
  const packFile = (file: string, fresh = false) => {
    if (fresh || !files.has(file)) files.set(file, openPackFile(db.name, file));
    return files.get(file)!;
  };
  const readPacked = async ({ pack, size }: BlobRecord): Promise<ArrayBuffer | undefined> => {
    const { file, offset } = pack!;
    for (const fresh of [false, true]) {
      const snapshot = await packFile(file, fresh);
      if (!snapshot) return undefined;
      try {
        return await snapshot.slice(offset, offset + size).arrayBuffer();
      } catch (error) {
        if (fresh || (error as { name?: unknown }).name !== 'NotReadableError') throw error;
      }
    }
    return undefined;
  };
  return async (records) => {
    const inline = records.filter((record) => !record.pack);
    const tx = inline.length > 0 ? db.transaction('blobData') : undefined;
    const inlineBytes = new Map(await Promise.all(inline.map(async ({ sha256 }) => [sha256, await tx!.store.get(sha256)] as const)));
    return Promise.all(records.map((record) => (record.pack ? readPacked(record) : inlineBytes.get(record.sha256))));
  };
}

async function openPackFile(dbName: string, file: string): Promise<File | undefined> {
  try {
    return await (await (await packDirectory(dbName)).getFileHandle(file)).getFile();
  } catch (error) {
    if ((error as { name?: unknown }).name === 'NotFoundError') return undefined;
    throw error;
  }
}
