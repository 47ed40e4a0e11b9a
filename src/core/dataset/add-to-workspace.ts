import { countOf } from '../format/numbers';
import { formatBytes } from '../format/bytes';
import { FREE_SPACE, quotaAt, type Store } from '../store';
import { mergeEntries } from './edit';
import { storeIngest, type IngestPreview, type IngestProgress, type LabelDecisions, type StoredIngest } from './ingest';
import { commitWorkspace, prepareEdit, type WrittenWorkspace } from './workspace';

/**
 * Stores the accepted files of a drop and adds them to the workspace, on top
 * of what is there (the tutorial's new-labels.zip over data.zip). The new data
 * set is built and named while the last blobs are still being written
 * (IndexedDB does that work in another process), and committed once they are
 * stored: a cancel or a failure before that leaves the workspace as it was,
 * and takes back the files stored so far, so nothing is left behind. Callers
 * hold the store lock throughout (no one else can have referenced them).
 */
export async function addToWorkspace(
  store: Store,
  preview: IngestPreview,
  decisions: LabelDecisions,
  options: { signal?: AbortSignal; onProgress?: (progress: IngestProgress) => void } = {},
): Promise<{ stored: StoredIngest; workspace: WrittenWorkspace }> {
  const prepare = (entries: StoredIngest['entries']) => prepareEdit(store, (current) => mergeEntries(current, entries), preview.plan.root);
  let next: Promise<WrittenWorkspace> | undefined;
  const done = { files: 0, bytes: 0 };
  let stored: StoredIngest;
  try {
    stored = await storeIngest(store, preview, decisions, {
      ...options,
      onProgress: (progress) => {
        done.files = progress.done;
        done.bytes = progress.bytes;
        options.onProgress?.(progress);
      },
      onHashed: (entries) => {
        next = prepare(entries);
        next.catch(() => undefined); // awaited below unless storing fails first
      },
    });
  } catch (error) {
    const total = countOf(preview.plan.accepted.length, 'file');
    const step = done.files === 0 ? `before any of its ${total} was stored` : `after ${countOf(done.files, 'file')} (${formatBytes(done.bytes)}) of ${total}`;
    throw quotaWhile(error, `storing the files of this import, ${step}`, done.files > 0);
  }
  try {
    options.signal?.throwIfAborted();
    return { stored, workspace: await commitWorkspace(store, await (next ?? prepare(stored.entries))) };
  } catch (error) {
    await store.discardBlobs(stored.storedShas);
    throw quotaWhile(error, 'saving the new data set record, once every file was stored', stored.storedShas.length > 0);
  }
}

/** A quota error named for the step of the import that failed; any other error as it is. */
function quotaWhile(error: unknown, step: string, tookBack: boolean): unknown {
  return quotaAt(
    error,
    `The browser ran out of storage space while ${step}. Nothing was added to the data set${tookBack ? ', and the files this import stored were removed again' : ''}: ` +
      `the data set and every version are as they were. ${FREE_SPACE}`,
  );
}
