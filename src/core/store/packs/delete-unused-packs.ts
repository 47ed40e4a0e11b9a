import { packDirectory } from './directory';

/** Async iteration over a folder's names (in every browser with OPFS; not in TypeScript's DOM lib without DOM.AsyncIterable). */
type ListableDirectory = FileSystemDirectoryHandle & { keys(): AsyncIterable<string> };

/**
 * Deletes the pack files no blob record points at (`live` names the ones
 * some record does). A pack still being written has its sync access handle
 * open and cannot be removed: it is skipped. Callers hold the store lock,
 * so no other tab is between writing a pack and recording its blobs. Where
 * there is no OPFS (Node) there are no packs.
 */
export async function deleteUnusedPacks(dbName: string, live: ReadonlySet<string>): Promise<void> {
  if (typeof globalThis.navigator?.storage?.getDirectory !== 'function') return;
  const directory = (await packDirectory(dbName)) as ListableDirectory;
  const unused: string[] = [];
  for await (const name of directory.keys()) if (!live.has(name)) unused.push(name);
  for (const name of unused) {
    try {
      await directory.removeEntry(name);
    } catch (error) {
      if ((error as { name?: unknown }).name !== 'NoModificationAllowedError') throw error;
    }
  }
}
