import { describeChanges } from '../core/dataset/changes';
import type { ClassImages } from '../core/dataset/class-images';
import type { WorkspaceEdit } from '../core/dataset/edit';
import type { Finding } from '../core/dataset/finding';
import type { IngestProgress, LabelDecisions } from '../core/dataset/ingest';
import type { PreviewSummary } from '../core/dataset/preview-summary';
import type { WorkspaceView } from '../core/dataset/workspace-view';
import { countOf } from '../core/format/numbers';
import { describeProgress } from '../core/format/progress';
import { DEFAULT_IMAGE_SIZE } from '../core/preprocess/prepare';
import type { Store } from '../core/store';
import type { WorkspaceStatus } from '../core/versions';
import type { PickedFile } from './input/dropped-files';
import { datasetWorker } from './workers';
import * as Comlink from 'comlink';

export type IngestPhase = 'idle' | 'reading' | 'review' | 'storing' | 'checking';

/** A workspace edit that can be undone until the next commit: the data set ids either side of it. */
interface UndoEntry {
  before: string;
  after: string;
  /** "Moved 3 images to dogs". */
  text: string;
  /** HEAD when it was made: a commit (or checkout) since ends undo. */
  head: string | null;
}

let nextJobId = 1;

/** The Dataset region: the workspace data set, a drop being ingested, and the validation report. */
export class DatasetState {
  /** The workspace data set as shown (summaries from the worker), null when empty. */
  view = $state.raw<WorkspaceView | null>(null);
  workspaceId = $derived(this.view?.id ?? null);

  phase = $state<IngestPhase>('idle');
  preview = $state.raw<PreviewSummary | null>(null);
  decisions = $state<{ looseLabel: string; renames: Record<string, string> }>({ looseLabel: '', renames: {} });
  progress = $state<{ fraction: number; text: string } | null>(null);
  /** The outcome of the last operation, in a sentence ("0 new files, 1 800 already stored"). */
  message = $state<string | null>(null);
  error = $state<string | null>(null);
  /** What the last workspace edit or undo did ("Moved 3 images to “dogs”."). */
  editMessage = $state<string | null>(null);

  /** How long the last import's phases took, for the status text and benchmarks. */
  timings = $state<{ readMs?: number; storeMs?: number; checkMs?: number; decoded?: number }>({});

  findings = $state.raw<Finding[]>([]);
  /** Findings the user chose to keep, by message. */
  kept = $state<string[]>([]);

  /** "+1 000 files since v1.0": the workspace against the checked-out version. */
  changes = $derived.by(() => {
    const status = this.status();
    if (!status) return null;
    const text = describeChanges(status.dataset);
    if (!text) return null;
    if (!status.head) return `${text}, not committed yet`;
    return `${text} since ${status.headTags[0] ?? 'the checked-out version'}`;
  });
  openFindings = $derived(this.findings.filter((finding) => !this.kept.includes(finding.message)));

  private undoStack = $state.raw<UndoEntry[]>([]);
  /** The edit "Undo" would take back, while the workspace is still what it made and nothing was committed since. */
  undoable = $derived.by(() => {
    const top = this.undoStack.at(-1);
    return top && top.after === this.workspaceId && top.head === (this.status()?.head ?? null) ? top : null;
  });

  private jobId = 0;

  constructor(
    private readonly store: () => Store | null,
    /** Called after the workspace changed, e.g. to refresh storage figures. */
    private readonly changed: () => Promise<void>,
    /** The workspace against HEAD, from the versions state. */
    private readonly status: () => WorkspaceStatus | null,
  ) {}

  async load(): Promise<void> {
    if (!this.store()) return;
    const view = await datasetWorker.view();
    // An import's outcome describes the workspace it made; once refs move elsewhere it is stale.
    if (view?.id !== this.view?.id) this.message = null;
    this.view = view;
  }

  /** The images of one class, for its thumbnail grid. */
  classImages(label: string): Promise<ClassImages> {
    return datasetWorker.classImages(label);
  }

  private async reload(): Promise<void> {
    await Promise.all([this.load(), this.changed()]);
  }

  /** Step 1 of a drop: read zips and headers in the worker, then show what would be added. */
  async addFiles(files: PickedFile[]): Promise<void> {
    if (this.phase !== 'idle' && this.phase !== 'review') {
      this.error = 'Wait for the current import to finish, or cancel it, before adding more files.';
      return;
    }
    if (files.length === 0) return;
    this.discard();
    this.editMessage = null;
    this.jobId = nextJobId++;
    this.phase = 'reading';
    this.error = null;
    this.message = null;
    this.progress = null;
    const started = performance.now();
    try {
      const preview = await datasetWorker.preview(this.jobId, files.map(({ path, file }) => ({ path, blob: file })));
      this.timings = { readMs: performance.now() - started };
      this.preview = preview;
      this.decisions = { looseLabel: '', renames: {} };
      this.phase = preview.accepted > 0 ? 'review' : 'idle';
      if (preview.accepted === 0) this.error = nothingToAdd(preview);
    } catch (error) {
      this.fail(error);
    }
  }

  /** Step 2: the user confirmed the mapping; hash and store, then update the workspace. */
  async confirm(): Promise<void> {
    if (this.phase !== 'review' || !this.preview) return;
    const decisions: LabelDecisions = {
      ...(this.decisions.looseLabel ? { looseLabel: this.decisions.looseLabel.trim() } : {}),
      renames: Object.fromEntries(
        Object.entries(this.decisions.renames).filter(([from, to]) => to.trim() !== '' && to !== from).map(([from, to]) => [from, to.trim()]),
      ),
    };
    this.phase = 'storing';
    const started = performance.now();
    const onProgress = (progress: IngestProgress) => {
      this.progress = { fraction: progress.totalBytes ? progress.bytes / progress.totalBytes : progress.done / progress.total, text: describeProgress(progress, performance.now() - started) };
    };
    try {
      const result = await datasetWorker.ingest(this.jobId, decisions, Comlink.proxy(onProgress));
      this.timings.storeMs = performance.now() - started;
      this.preview = null;
      await this.reload();
      this.message = `${countOf(result.storedCount, 'new file')}, ${countOf(result.skippedCount, 'file')} already stored.`;
      await this.check();
    } catch (error) {
      this.fail(error);
    }
  }

  cancel(): void {
    void datasetWorker.cancel(this.jobId);
    if (this.phase === 'review') this.discard();
  }

  discard(): void {
    if (this.phase === 'storing') {
      this.cancel();
      return;
    }
    if (this.preview) void datasetWorker.discard(this.jobId);
    this.preview = null;
    if (this.phase === 'review') this.phase = 'idle';
  }

  /** Applies an edit to the workspace; `text` says what it did, for the page and its Undo. */
  async edit(change: WorkspaceEdit, text = describeEdit(change)): Promise<void> {
    this.error = null;
    try {
      const { before, after } = await datasetWorker.edit(change);
      const head = this.status()?.head ?? null;
      if (before !== null && before !== after) this.undoStack = [...this.undoStack.filter((entry) => entry.head === head), { before, after, text, head }];
      this.editMessage = `${text}.`;
      await this.reload();
      await this.check();
    } catch (error) {
      this.fail(error);
    }
  }

  /** Takes back the last edit (until a commit): the workspace names the data set it had before. */
  async undo(): Promise<void> {
    const entry = this.undoable;
    if (!entry) return;
    this.error = null;
    try {
      await datasetWorker.restore(entry.after, entry.before);
      this.undoStack = this.undoStack.slice(0, -1);
      this.editMessage = `Undone: ${entry.text}.`;
      await this.reload();
      await this.check();
    } catch (error) {
      this.undoStack = [];
      this.fail(error);
    }
  }

  /** Decodes the workspace images (the preprocessing cache) and runs the validation report. */
  async check(): Promise<void> {
    if (!this.view) {
      this.findings = [];
      this.phase = 'idle';
      return;
    }
    this.phase = 'checking';
    const started = performance.now();
    const onProgress = (done: number, total: number) => {
      this.progress = { fraction: done / total, text: describeProgress({ done, total }, performance.now() - started) };
    };
    try {
      const jobId = nextJobId++;
      this.jobId = jobId;
      const result = await datasetWorker.check(jobId, DEFAULT_IMAGE_SIZE, Comlink.proxy(onProgress));
      this.findings = result.findings;
      this.timings.checkMs = performance.now() - started;
      this.timings.decoded = result.decoded;
      this.phase = 'idle';
      this.progress = null;
    } catch (error) {
      this.fail(error);
    }
  }

  exclude(finding: Finding): Promise<void> {
    return this.edit({ kind: 'remove-paths', paths: finding.paths });
  }

  keep(finding: Finding): void {
    this.kept = [...this.kept, finding.message];
  }

  private fail(error: unknown): void {
    const aborted = error instanceof Error && /abort|cancel/i.test(`${error.name} ${error.message}`);
    this.error = aborted ? null : (error as Error).message || String(error);
    this.message = aborted ? 'Cancelled: nothing was added to the data set.' : this.message;
    this.phase = 'idle';
    this.progress = null;
    this.preview = null;
  }
}

function describeEdit(change: WorkspaceEdit): string {
  const images = (paths: string[]) => countOf(paths.length, 'image');
  switch (change.kind) {
    case 'remove-paths':
      return `Removed ${images(change.paths)} from the data set`;
    case 'remove-class':
      return `Removed the class “${change.label}”`;
    case 'rename-class':
      return `Renamed “${change.from}” to “${change.to}”`;
    case 'move-to-class':
      return `Moved ${images(change.paths)} to “${change.label}”`;
    case 'move-to-split':
      return `Moved ${images(change.paths)} to ${change.split}`;
  }
}

function nothingToAdd(preview: PreviewSummary): string {
  const parts = [];
  if (preview.rejected.total) parts.push(`${countOf(preview.rejected.total, 'file')} could not be used`);
  if (preview.ignored.total) parts.push(`${countOf(preview.ignored.total, 'file')} ignored`);
  return `Nothing to add: no images found${parts.length ? ` (${parts.join(', ')}; see below)` : ''}.`;
}
