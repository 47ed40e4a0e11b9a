import { packDirectory } from './packs/directory';
import type { BlobRecord, PawprintDB } from './schema';

/**
 * The bytes of blob records as Blobs, undefined where they are gone: from
 * blobData (read in one transaction), or slices of their pack files, nothing
 * read until the caller reads. Slicing a pack's File costs Chromium a
 * synchronous look at the file, so each pack is sliced once per call (the
 * range its requested blobs span) and each blob is a slice of that slice:
 * the page's main thread stays free while it shows thumbnails. A blob any
 * ref reaches lives in a closed pack (its ingest closed the pack before
 * committing), so its slice stays readable; one read while its pack was
 * still growing fails with NotReadableError and is read again by asking
 * here again.
 */
export async function storedBlobs(db: PawprintDB, records: readonly BlobRecord[]): Promise<(Blob | undefined)[]> {
  const spans = new Map<string, { start: number; end: number }>();
  for (const { pack, size } of records) {
    if (!pack) continue;
    const span = spans.get(pack.file);
    spans.set(pack.file, { start: Math.min(span?.start ?? Infinity, pack.offset), end: Math.max(span?.end ?? 0, pack.offset + size) });
  }
  const regions = new Map(
    [...spans].map(([file, { start, end }]) => [file, openPackFile(db.name, file).then((opened) => opened && { start, blob: opened.slice(start, end) })]),
  );
  const inline = records.filter((record) => !record.pack);
  const tx = inline.length > 0 ? db.transaction('blobData') : undefined;
  const inlineBytes = new Map(await Promise.all(inline.map(async ({ sha256 }) => [sha256, await tx!.store.get(sha256)] as const)));
  return Promise.all(
    records.map(async ({ sha256, pack, size, type }) => {
      if (!pack) {
        const bytes = inlineBytes.get(sha256);
        return bytes === undefined ? undefined : new Blob([bytes], { type });
      }
      const region = await regions.get(pack.file)!;
      return region?.blob.slice(pack.offset - region.start, pack.offset - region.start + size, type);
    }),
  );
}

async function openPackFile(dbName: string, file: string): Promise<File | undefined> {
  try {
    return await (await (await packDirectory(dbName)).getFileHandle(file)).getFile();
  } catch (error) {
    if ((error as { name?: unknown }).name === 'NotFoundError') return undefined;
    throw error;
  }
}
