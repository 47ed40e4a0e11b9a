import { zipSync, type Zippable } from 'fflate';
import { readZip } from '../dataset/zip';
import { MemoryRemote } from './memory-remote';

/**
 * A remote's files as one zip, and back. Entries are stored, not deflated:
 * images and weights barely compress, and storing keeps zipping fast. A fixed
 * date keeps the same content giving the same zip.
 */
export function remoteToZip(remote: MemoryRemote): Uint8Array {
  const entries: Zippable = {};
  for (const path of [...remote.files.keys()].sort()) entries[path] = remote.files.get(path)!;
  return zipSync(entries, { level: 0, mtime: new Date(Date.UTC(2000, 0, 1)) });
}

/**
 * A zip opened as a remote, screened first like any zip the user gives
 * (unsafe paths, encryption, zip bombs, damage): ZipError refuses it whole.
 */
export async function remoteFromZip(bytes: Uint8Array, name: string, signal?: AbortSignal): Promise<MemoryRemote> {
  const remote = new MemoryRemote(name);
  for (const file of (await readZip(bytes, signal ? { signal } : {})).files) remote.files.set(file.path, file.bytes);
  return remote;
}
