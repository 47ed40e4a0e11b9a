/**
 * Pack files: blob bytes appended to files in the origin private file system
 * (OPFS), one pack per putBlobs call, with each blob's record in IndexedDB
 * naming its pack and offset. Writing a file through a sync access handle is
 * several times faster than putting the same bytes into IndexedDB
 * (BENCHMARKS.md, ingest). Sync access handles exist only in dedicated
 * workers; elsewhere (the page, Node tests) blobs are written to blobData.
 */
export function canWritePacks(): boolean {
  return typeof globalThis.FileSystemSyncAccessHandle === 'function' && typeof globalThis.navigator?.storage?.getDirectory === 'function';
}

/** The folder holding the packs of the store in database `dbName`. */
export async function packDirectory(dbName: string): Promise<FileSystemDirectoryHandle> {
  const root = await navigator.storage.getDirectory();
  return root.getDirectoryHandle(`${dbName}.packs`, { create: true });
}
