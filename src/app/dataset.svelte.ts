import { SvelteMap } from 'svelte/reactivity';
import { describeChanges } from '../core/dataset/changes';
import type { ClassImages } from '../core/dataset/class-images';
import { dropName } from '../core/dataset/drop-name';
import type { WorkspaceEdit } from '../core/dataset/edit';
import type { Finding } from '../core/dataset/finding';
import type { IngestProgress, LabelDecisions } from '../core/dataset/ingest';
import type { PreviewSummary } from '../core/dataset/preview-summary';
import { effectiveLabel, lookalikeClasses, reviewProblems, type LookalikeClasses } from '../core/dataset/review-problems';
import { importSpaceNeeded, spaceWarning } from '../core/dataset/space-needed';
import type { DroppedFile } from '../core/dataset/types';
import type { WorkspaceView } from '../core/dataset/workspace-view';
import { countOf } from '../core/format/numbers';
import { describeProgress } from '../core/format/progress';
import { DEFAULT_IMAGE_SIZE } from '../core/preprocess/prepare';
import type { Store } from '../core/store';
import type { WorkspaceStatus } from '../core/versions';
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
let nextDropId = 1;

/** A drop (or picked file set) waiting for the import before it to end. */
export interface QueuedDrop {
  id: number;
  /** "new-labels.zip", "photos (120 files)" */
  name: string;
  files: DroppedFile[];
}

/** The Dataset region: the workspace data set, a drop being ingested, and the validation report. */
export class DatasetState {
  /** The workspace data set as shown (summaries from the worker), null when empty. */
  view = $state.raw<WorkspaceView | null>(null);
  workspaceId = $derived(this.view?.id ?? null);

  phase = $state<IngestPhase>('idle');
  preview = $state.raw<PreviewSummary | null>(null);
  /** The class the user gives files dropped without a class folder. */
  looseLabel = $state('');
  /** Inferred class → the name the user typed for it in the review (a Map: class names are any text). */
  readonly renames = new SvelteMap<string, string>();
  /** The review's warning that the drop may not fit in what the browser says is left (null: it fits, or the browser does not say). */
  spaceWarning = $state<string | null>(null);
  /** Why "Add to data set" could not go on yet (a class to give, a name to change): shown in the review, which stays. */
  reviewErrors = $state.raw<string[]>([]);
  /** Drops made while another was being read, reviewed, stored or checked, oldest first. */
  queue = $state.raw<QueuedDrop[]>([]);
  progress = $state<{ fraction: number; text: string } | null>(null);
  /** The outcome of the last operation, in a sentence ("0 new files, 1 800 already stored"). */
  message = $state<string | null>(null);
  error = $state<string | null>(null);
  /** What the last workspace edit or undo did ("Moved 3 images to “dogs”."). */
  editMessage = $state<string | null>(null);

  /** How long the last import's phases took, for the status text and benchmarks. */
  timings = $state<{ readMs?: number; storeMs?: number; checkMs?: number; decoded?: number }>({});

  /** Said once per page: the decoded images did not fit in the browser's storage, so the page runs without keeping them. */
  cacheNote = $state<string | null>(null);
  private cacheNoteShown = false;

  findings = $state.raw<Finding[]>([]);
  /** The data set the findings are about (the last check's), null before any: the pipeline's validate stage. */
  checkedId = $state<string | null>(null);
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
  /** The review's classes whose names differ from another's only in case or Unicode normalisation (in the drop or the data set). */
  readonly lookalikes = $derived.by((): LookalikeClasses[] => {
    const preview = this.preview;
    if (!preview) return [];
    const decisions = this.decisions();
    const labels = preview.classes.map((row) => effectiveLabel(row.label, decisions));
    return lookalikeClasses(labels, this.view?.summary.rows.map((row) => row.label) ?? []);
  });

  private undoStack = $state.raw<UndoEntry[]>([]);
  /** The edit "Undo" would take back, while the workspace is still what it made and nothing was committed since. */
  undoable = $derived.by(() => {
    const top = this.undoStack.at(-1);
    return top && top.after === this.workspaceId && top.head === (this.status()?.head ?? null) ? top : null;
  });

  private jobId = 0;

  constructor(
    private readonly store: () => Store | null,
    /** Called after this page changed the workspace: re-reads it (load) and what depends on it. */
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

  /**
   * Step 1 of a drop: read zips and headers in the worker, then show what would be added.
   * While another drop is being read, reviewed, stored or checked, this one waits in the
   * queue and is reviewed after it.
   */
  async addFiles(files: DroppedFile[]): Promise<void> {
    if (files.length === 0) return;
    if (this.phase !== 'idle') {
      this.queue = [...this.queue, { id: nextDropId++, name: dropName(files), files }];
      return;
    }
    this.error = null;
    this.message = null;
    this.editMessage = null;
    await this.read(files);
  }

  /** Takes a drop out of the queue before its turn. */
  unqueue(id: number): void {
    this.queue = this.queue.filter((drop) => drop.id !== id);
  }

  private async read(files: DroppedFile[]): Promise<void> {
    this.jobId = nextJobId++;
    this.phase = 'reading';
    this.progress = null;
    const started = performance.now();
    try {
      const preview = await datasetWorker.preview(this.jobId, files);
      this.timings = { readMs: performance.now() - started };
      this.preview = preview;
      this.looseLabel = '';
      this.renames.clear();
      this.reviewErrors = [];
      this.spaceWarning = null;
      if (preview.accepted > 0) {
        this.phase = 'review';
        void this.estimateSpace(preview);
      } else {
        this.error = nothingToAdd(preview, dropName(files));
        this.settle();
      }
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * The current import is over (stored and checked, refused, cancelled or failed): the next
   * queued drop is read for review. Its outcome line and error stay until the user acts on it.
   */
  private settle(): void {
    this.phase = 'idle';
    this.progress = null;
    const [next, ...rest] = this.queue;
    if (!next) return;
    this.queue = rest;
    void this.read(next.files);
  }

  /** Before a large import: what it may need against what navigator.storage.estimate() says is left. */
  private async estimateSpace(preview: PreviewSummary): Promise<void> {
    const estimate = await navigator.storage?.estimate?.().catch(() => null);
    if (!estimate || this.preview !== preview) return;
    this.spaceWarning = spaceWarning(importSpaceNeeded(preview.accepted, preview.acceptedBytes, DEFAULT_IMAGE_SIZE), estimate);
  }

  /** The review's answers as the worker takes them. */
  private decisions(): LabelDecisions {
    const renamed = [...this.renames].filter(([from, to]) => to.trim() !== '' && to !== from);
    return {
      ...(this.looseLabel.trim() ? { looseLabel: this.looseLabel.trim() } : {}),
      renames: new Map(renamed.map(([from, to]) => [from, to.trim()])),
    };
  }

  /** Merges lookalike classes of the review into `target`: every class of the drop that is one of `names` gets that name. */
  mergeLookalikes(names: readonly string[], target: string): void {
    const preview = this.preview;
    if (!preview) return;
    const decisions = this.decisions();
    for (const row of preview.classes) {
      if (!names.includes(effectiveLabel(row.label, decisions))) continue;
      if (row.label === null) this.looseLabel = target;
      else this.renames.set(row.label, target);
    }
    this.reviewErrors = [];
  }

  /** Step 2: the user confirmed the mapping; hash and store, then update the workspace. */
  async confirm(): Promise<void> {
    if (this.phase !== 'review' || !this.preview) return;
    const decisions = this.decisions();
    // A missing class or a name that cannot be a folder is asked for here: the review stays as the user left it.
    this.reviewErrors = reviewProblems(this.preview.classes, decisions);
    if (this.reviewErrors.length > 0) return;
    this.error = null;
    this.message = null;
    this.phase = 'storing';
    const started = performance.now();
    const onProgress = (progress: IngestProgress) => {
      this.progress = { fraction: progress.totalBytes ? progress.bytes / progress.totalBytes : progress.done / progress.total, text: describeProgress(progress, performance.now() - started) };
    };
    try {
      const result = await datasetWorker.ingest(this.jobId, decisions, Comlink.proxy(onProgress));
      this.timings.storeMs = performance.now() - started;
      this.preview = null;
      await this.changed();
      this.message = `${countOf(result.storedCount, 'new file')}, ${countOf(result.skippedCount, 'file')} already stored.`;
      await this.check();
    } catch (error) {
      // Found by the worker, which sees every file (a merge that would put two at one path): asked here, nothing was stored.
      if ((error as Error).name === 'ReviewProblemError') {
        this.reviewErrors = [(error as Error).message];
        this.progress = null;
        this.phase = 'review';
        return;
      }
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
    if (this.phase === 'review') this.settle();
  }

  /** Applies an edit to the workspace; `text` says what it did, for the page and its Undo. */
  async edit(change: WorkspaceEdit, text = describeEdit(change)): Promise<void> {
    this.error = null;
    try {
      const { before, after } = await datasetWorker.edit(change);
      const head = this.status()?.head ?? null;
      if (before !== null && before !== after) this.undoStack = [...this.undoStack.filter((entry) => entry.head === head), { before, after, text, head }];
      this.editMessage = `${text}.`;
      await this.changed();
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
      await this.changed();
      await this.check();
    } catch (error) {
      this.undoStack = [];
      this.fail(error);
    }
  }

  /**
   * Decodes the workspace images at `size` into the preprocessing cache (the default size, or
   * the training size when the pipeline's preprocess stage runs) and runs the validation report.
   * An edit made while a drop is being reviewed checks without ending that review.
   */
  async check(size = DEFAULT_IMAGE_SIZE): Promise<void> {
    const reviewing = this.phase === 'review';
    const finish = () => (reviewing ? (this.phase = 'review') : this.settle());
    if (!this.view) {
      this.findings = [];
      finish();
      return;
    }
    this.phase = 'checking';
    this.progress = null; // the storing bar's last value is not this check's
    const started = performance.now();
    let resumed = '';
    const onProgress = (done: number, total: number) => {
      this.progress = { fraction: done / total, text: resumed + describeProgress({ done, total }, performance.now() - started) };
    };
    const onResume = (decodedBefore: number) => {
      resumed = `Resumed where it stopped: ${countOf(decodedBefore, 'image')} decoded before are kept · `;
    };
    try {
      const result = await datasetWorker.check(nextJobId++, size, Comlink.proxy(onProgress), Comlink.proxy(onResume));
      this.findings = result.findings;
      this.checkedId = result.datasetId;
      if (!result.cacheKept && !this.cacheNoteShown) {
        this.cacheNoteShown = true;
        this.cacheNote =
          'The images are checked, but their decoded copies did not fit in the browser’s storage, so they are not kept: training decodes them again each time. Free space with Clean up (under Storage) to keep them.';
      }
      this.timings.checkMs = performance.now() - started;
      this.timings.decoded = result.decoded;
      this.progress = null;
      finish();
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
    this.preview = null;
    this.settle();
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

/** Named, as the next queued drop may be under review while this stays shown. */
function nothingToAdd(preview: PreviewSummary, drop: string): string {
  const parts = [];
  if (preview.rejected.total) parts.push(`${countOf(preview.rejected.total, 'file')} could not be used`);
  if (preview.ignored.total) parts.push(`${countOf(preview.ignored.total, 'file')} ignored`);
  return `Nothing to add from ${drop}: no images found${parts.length ? ` (${parts.join(', ')}; see below)` : ''}.`;
}
