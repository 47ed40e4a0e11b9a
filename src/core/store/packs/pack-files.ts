import { canWritePacks, packDirectory } from './directory';

/** Async iteration over a folder's entries (in every browser with OPFS; not in TypeScript's DOM lib without DOM.AsyncIterable). */
type ListableDirectory = FileSystemDirectoryHandle & { entries(): AsyncIterable<[string, FileSystemHandle]> };

/** The files in a store's pack folder (packs, and whatever else a crash left there) with their sizes; none without OPFS (Node). */
export async function listPackFolder(dbName: string): Promise<Map<string, number>> {
  const files = new Map<string, number>();
  if (typeof globalThis.navigator?.storage?.getDirectory !== 'function') return files;
  const directory = (await packDirectory(dbName)) as ListableDirectory;
  for await (const [name, handle] of directory.entries()) {
    if (handle.kind === 'file') files.set(name, (await (handle as FileSystemFileHandle).getFile()).size);
  }
  return files;
}

/** Removes a file of the pack folder; false when a writer still has it open (its sync access handle locks it). */
export async function removePackFile(dbName: string, name: string): Promise<boolean> {
  if (typeof globalThis.navigator?.storage?.getDirectory !== 'function') return true;
  try {
    await (await packDirectory(dbName)).removeEntry(name);
    return true;
  } catch (error) {
    const reason = (error as { name?: unknown }).name;
    if (reason === 'NotFoundError') return true;
    if (reason === 'NoModificationAllowedError' || reason === 'InvalidModificationError') return false;
    throw error;
  }
}

/** Cuts a pack after its last live byte; false where it cannot be done here (no sync access handle, or the file is open). */
export async function truncatePack(dbName: string, name: string, size: number): Promise<boolean> {
  if (!canWritePacks()) return false;
  let handle: FileSystemSyncAccessHandle;
  try {
    handle = await (await (await packDirectory(dbName)).getFileHandle(name)).createSyncAccessHandle();
  } catch (error) {
    if ((error as { name?: unknown }).name === 'NoModificationAllowedError') return false;
    throw error;
  }
  try {
    handle.truncate(size);
    handle.flush();
  } finally {
    handle.close();
  }
  return true;
}

/** Bytes of a pack file, [start, end). */
export async function readPackRange(dbName: string, name: string, start: number, end: number): Promise<Uint8Array> {
  const file = await (await (await packDirectory(dbName)).getFileHandle(name)).getFile();
  return new Uint8Array(await file.slice(start, end).arrayBuffer());
}
