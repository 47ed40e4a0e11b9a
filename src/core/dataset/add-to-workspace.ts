import type { Store } from '../store';
import { mergeEntries } from './edit';
import { storeIngest, type IngestPreview, type IngestProgress, type LabelDecisions, type StoredIngest } from './ingest';
import { commitWorkspace, prepareEdit, type WrittenWorkspace } from './workspace';

/**
 * Stores the accepted files of a drop and adds them to the workspace, on top
 * of what is there (the tutorial's new-labels.zip over data.zip). The new data
 * set is built and named while the last blobs are still being written
 * (IndexedDB does that work in another process), and committed once they are
 * stored: a cancel or a failure before that leaves the workspace as it was.
 * Callers hold the store lock throughout.
 */
export async function addToWorkspace(
  store: Store,
  preview: IngestPreview,
  decisions: LabelDecisions,
  options: { signal?: AbortSignal; onProgress?: (progress: IngestProgress) => void } = {},
): Promise<{ stored: StoredIngest; workspace: WrittenWorkspace }> {
  const prepare = (entries: StoredIngest['entries']) => prepareEdit(store, (current) => mergeEntries(current, entries), preview.plan.root);
  let next: Promise<WrittenWorkspace> | undefined;
  const stored = await storeIngest(store, preview, decisions, {
    ...options,
    onHashed: (entries) => {
      next = prepare(entries);
      next.catch(() => undefined); // awaited below unless storing fails first
    },
  });
  options.signal?.throwIfAborted();
  return { stored, workspace: await commitWorkspace(store, await (next ?? prepare(stored.entries))) };
}
