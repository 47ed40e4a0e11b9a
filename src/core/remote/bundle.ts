import type { TransferProgress } from '../format/progress';
import type { Store } from '../store';
import { MemoryRemote } from './memory-remote';
import { pull, type PullOptions, type PullResult } from './pull';
import { push, type PushResult } from './push';
import { isAbort } from './transfer-error';
import { remoteFromZip, remoteToZip } from './zip-remote';

export interface BundleOptions {
  /** Default: every committed version (a backup). */
  versionIds?: readonly string[];
  signal?: AbortSignal;
  onProgress?: (progress: TransferProgress) => void;
}

/**
 * A bundle: the remote layout (files, records, index with tags and HEAD) of
 * every version, in one zip — a backup, or a push where no folder can be picked.
 */
export async function exportBundle(store: Store, options: BundleOptions = {}): Promise<{ zip: Uint8Array; result: PushResult }> {
  const remote = new MemoryRemote('the bundle');
  const result = await push(store, remote, options);
  return { zip: remoteToZip(remote), result };
}

/**
 * Restores a bundle: into a browser without versions every version, tag and
 * HEAD; into one with versions it merges like a pull. A zip that is malformed,
 * has no index, an unknown schema or a damaged file changes nothing.
 */
export async function importBundle(store: Store, zip: Uint8Array, name: string, options: PullOptions = {}): Promise<PullResult> {
  const remote = await remoteFromZip(zip, name, options.signal).catch((error: Error) => {
    if (isAbort(error)) throw error;
    throw new Error(`${name} is not a Pawprint bundle: ${error.message}`, { cause: error });
  });
  return pull(store, remote, options);
}
