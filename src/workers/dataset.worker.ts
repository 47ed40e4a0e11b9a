// Ingest, workspace edits and image checks: CPU-heavy, so off the main thread.
import * as Comlink from 'comlink';
import { checkDataset } from '../core/dataset/check';
import { classImages } from '../core/dataset/class-images';
import { addToWorkspace } from '../core/dataset/add-to-workspace';
import { applyEdit, type WorkspaceEdit } from '../core/dataset/edit';
import { previewIngest, type IngestPreview, type IngestProgress, type LabelDecisions } from '../core/dataset/ingest';
import type { DroppedFile } from '../core/dataset/types';
import { summarizePreview } from '../core/dataset/preview-summary';
import { editWorkspace, readWorkspace, restoreWorkspace } from '../core/dataset/workspace';
import { correctLabel, type CorrectLabelInput } from '../core/feedback/correct-label';
import { viewOfWorkspace } from '../core/dataset/workspace-view';
import { preparePixels } from '../core/preprocess/prepare';
import { openStore } from '../core/store';
import { decodeImage } from './lib/decode-image';
import { cancelJob, runJob } from './lib/jobs';

const store = openStore();
let pending: { jobId: number; preview: IngestPreview } | null = null;

const api = {
  async preview(jobId: number, files: DroppedFile[]) {
    return runJob(jobId, async (signal) => {
      // Hashers, pack folder and the set of stored blobs get ready while the user reviews the drop, not after the click.
      void store.then((opened) => opened.warmUpPutBlobs()).catch(() => undefined);
      const preview = await previewIngest(files, { signal });
      pending = { jobId, preview };
      return summarizePreview(preview.plan);
    });
  },

  async ingest(jobId: number, decisions: LabelDecisions, onProgress: (progress: IngestProgress) => void) {
    if (pending?.jobId !== jobId) throw new Error('This drop is no longer pending; drop the files again.');
    const { preview } = pending;
    return runJob(jobId, async (signal) => {
      // Under the lock from the first blob to the workspace ref: gc elsewhere cannot collect them in between.
      const { stored, workspace } = await (await store).underLock((locked) => addToWorkspace(locked, preview, decisions, { signal, onProgress }));
      pending = null;
      const { entries: _entries, sizes: _sizes, storedShas: _storedShas, ...counts } = stored;
      return { workspaceId: workspace.id, added: stored.entries.length, ...counts };
    });
  },

  /** The workspace as the page shows it (null when empty): summaries, not 10 000 entries. */
  async view() {
    const { id, dataset } = await readWorkspace(await store);
    return id && dataset ? viewOfWorkspace(id, dataset) : null;
  },

  /** The images of one class, for its thumbnail grid. */
  async classImages(label: string) {
    const { dataset } = await readWorkspace(await store);
    return classImages(dataset?.entries ?? [], label);
  },

  discard(jobId: number) {
    if (pending?.jobId === jobId) pending = null;
  },

  cancel(jobId: number) {
    cancelJob(jobId, 'Cancelled by the user.');
  },

  /** Applies an edit; the ids before and after let the page undo it. */
  async edit(change: WorkspaceEdit) {
    return (await store).underLock(async (locked) => {
      const before = (await readWorkspace(locked)).id;
      const after = (await editWorkspace(locked, (entries) => applyEdit(entries, change))).id;
      return { before, after };
    });
  },

  /** Undoes an edit: the workspace goes back from data set `from` to `to`. */
  async restore(from: string, to: string) {
    await (await store).underLock((locked) => restoreWorkspace(locked, from, to));
  },

  /**
   * "Correct label": the image joins the workspace with its right label, marked as feedback.
   * A picked file (Classify an image) is stored first, under the same lock.
   */
  async correctLabel(input: CorrectLabelInput | (Omit<CorrectLabelInput, 'sha256'> & { file: Blob })) {
    const bytes = 'file' in input ? new Uint8Array(await input.file.arrayBuffer()) : null;
    return (await store).underLock(async (locked) => {
      if (!('file' in input)) return correctLabel(locked, input);
      const { file, ...rest } = input;
      const { record } = await locked.putBlob(bytes!, { type: file.type });
      return correctLabel(locked, { ...rest, sha256: record.sha256 });
    });
  },

  /** Decodes the workspace images at `size` (reusing earlier decodes, and those of a check a closed tab stopped) and validates them. */
  async check(jobId: number, size: number, onProgress: (done: number, total: number) => void, onResume: (decodedBefore: number) => void) {
    return runJob(jobId, async (signal) => {
      const { id, dataset } = await readWorkspace(await store);
      if (!id || !dataset) return { datasetId: null, findings: [], decoded: 0, failures: 0, cacheKept: true };
      let cacheKept = true;
      const pixels = await preparePixels(await store, id, dataset, size, decodeImage, { signal, onProgress, onResume, onNotKept: () => (cacheKept = false) });
      return { datasetId: id, findings: checkDataset(dataset, pixels), decoded: pixels.sha256.length, failures: pixels.failures.length, cacheKept };
    });
  },
};

export type DatasetWorkerApi = typeof api;
Comlink.expose(api);
