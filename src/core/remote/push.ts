import type { TransferProgress } from '../format/progress';
import type { Store } from '../store';
import { INDEX_PATH } from './layout';
import { eachLimited } from './limited';
import { mergeIndex } from './merge-index';
import { planPush } from './push-plan';
import { encodeRegistryFile, mergeRegistry, readRegistryFile, REGISTRY_PATH } from './registry-file';
import type { Remote } from './remote';
import { encodeIndex, readIndex } from './remote-index';
import type { TagConflict } from './tag-conflict';
import { isAbort, nameVersions, TransferError } from './transfer-error';

export interface PushOptions {
  /** Default: every committed version. Their committed ancestors always come along. */
  versionIds?: readonly string[];
  signal?: AbortSignal;
  /** Files checked or written so far, and the bytes written. */
  onProgress?: (progress: TransferProgress) => void;
}

export interface PushResult {
  /** The versions the remote now has from this push (ancestors included). */
  versions: string[];
  /** Files written, the index included. */
  written: number;
  /** Files the remote already had. */
  skipped: number;
  bytesWritten: number;
  tagConflicts: TagConflict[];
  /** Stage assignments (GTO tags) the remote already had for other assignments: its own were kept. */
  stageConflicts: string[];
}

const PARALLEL_FILES = 4;
/** Files whose presence is checked, then whose missing blobs are read from the store in one call. */
const READ_BATCH = 64;

/**
 * `dvc push` for versions: writes what the remote lacks — file bytes under
 * their md5, data sets' `.dir` listings, then the data set, model and version
 * records — and the index last, merged with the remote's own. An interrupted
 * push leaves the old index, which names only complete versions; the next
 * push skips what already arrived.
 */
export async function push(store: Store, remote: Remote, options: PushOptions = {}): Promise<PushResult> {
  const { signal, onProgress } = options;
  const plan = await planPush(store, options.versionIds);
  const result: PushResult = { versions: plan.versions, written: 0, skipped: 0, bytesWritten: 0, tagConflicts: [], stageConflicts: [] };
  const total = plan.files.length + 1 + (plan.assignments.size > 0 ? 1 : 0);
  const report = () => onProgress?.({ done: result.written + result.skipped, total, bytes: result.bytesWritten });

  let failedPath: string | null = null;
  const at = async <T>(path: string, step: () => Promise<T>): Promise<T> => {
    try {
      return await step();
    } catch (error) {
      failedPath ??= path;
      throw error;
    }
  };
  try {
    // A foreign or newer index refuses the push before anything is written.
    const remoteIndex = await at(INDEX_PATH, () => readIndex(remote, signal));
    const remoteRegistry = plan.assignments.size > 0 ? await at(REGISTRY_PATH, () => readRegistryFile(remote, signal)) : new Map<string, string>();
    for (let start = 0; start < plan.files.length; start += READ_BATCH) {
      const batch = plan.files.slice(start, start + READ_BATCH);
      const present = new Set<string>();
      await eachLimited(
        batch,
        PARALLEL_FILES,
        (file) =>
          at(file.path, async () => {
            if (await remote.has(file.path, signal)) present.add(file.path);
          }),
        signal,
      );
      result.skipped += present.size;
      if (present.size > 0) report();
      const missing = batch.filter((file) => !present.has(file.path));
      const stored = await store.getBlobs(missing.flatMap((file) => ('sha256' in file ? [file.sha256] : [])));
      await eachLimited(
        missing,
        PARALLEL_FILES,
        (file) =>
          at(file.path, async () => {
            const bytes = 'bytes' in file ? file.bytes : new Uint8Array(await stored.get(file.sha256)!.arrayBuffer());
            await remote.write(file.path, bytes, signal);
            result.written++;
            result.bytesWritten += file.size;
            report();
          }),
        signal,
      );
    }
    const { index, conflicts } = mergeIndex(remoteIndex, plan);
    const indexBytes = encodeIndex(index);
    signal?.throwIfAborted();
    await at(INDEX_PATH, () => remote.write(INDEX_PATH, indexBytes, signal));
    result.written++;
    result.bytesWritten += indexBytes.byteLength;
    result.tagConflicts = conflicts;
    report();
    // After the index, which lists the versions these assignments name.
    if (plan.assignments.size > 0) {
      const merged = mergeRegistry(remoteRegistry, plan.assignments);
      const registryBytes = encodeRegistryFile(merged.assignments);
      await at(REGISTRY_PATH, () => remote.write(REGISTRY_PATH, registryBytes, signal));
      result.written++;
      result.bytesWritten += registryBytes.byteLength;
      result.stageConflicts = merged.conflicts;
      report();
    }
  } catch (error) {
    if (isAbort(error)) throw error;
    throw new TransferError(
      `Push to ${remote.name} failed at ${failedPath ?? 'the start'}: ${(error as Error).message} ` +
        `Not added to the remote's index: ${nameVersions(plan.versions, plan.tags)}; ` +
        `the ${result.written} files written so far will be skipped by the next push.`,
      { cause: error },
    );
  }
  return result;
}
