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

// The first OPFS access of a fresh profile takes tens of ms: the folder is
// looked up once per store (and early, by warmUpPutBlobs), not per pack.
const directories = new Map<string, Promise<FileSystemDirectoryHandle>>();

/** The folder holding the packs of the store in database `dbName`. */
export function packDirectory(dbName: string): Promise<FileSystemDirectoryHandle> {
  let directory = directories.get(dbName);
  if (!directory) {
    directory = navigator.storage.getDirectory().then((root) => root.getDirectoryHandle(`${dbName}.packs`, { create: true }));
    directories.set(dbName, directory);
    directory.catch(() => directories.delete(dbName));
  }
  return directory;
}
