import { SvelteMap } from 'svelte/reactivity';
import { describeChanges } from '../core/dataset/changes';
import { dropName } from '../core/dataset/drop-name';
import type { WorkspaceEdit } from '../core/dataset/edit';
import type { Finding } from '../core/dataset/finding';
import type { IngestProgress, LabelDecisions } from '../core/dataset/ingest';
import type { PreviewSummary } from '../core/dataset/preview-summary';
import type { DroppedFile } from '../core/dataset/types';
import type { WorkspaceView } from '../core/dataset/workspace-view';
import { countOf } from '../core/format/numbers';
import { describeProgress } from '../core/format/progress';
import type { DatasetEntry } from '../core/objects/types';
import { DEFAULT_IMAGE_SIZE } from '../core/preprocess/prepare';
import type { Store } from '../core/store';
import type { WorkspaceStatus } from '../core/versions';
import { datasetWorker } from './workers';
import * as Comlink from 'comlink';

export type IngestPhase = 'idle' | 'reading' | 'review' | 'storing' | 'checking';

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
  /** Drops made while another was being read, reviewed, stored or checked, oldest first. */
  queue = $state.raw<QueuedDrop[]>([]);
  progress = $state<{ fraction: number; text: string } | null>(null);
  /** The outcome of the last operation, in a sentence ("0 new files, 1 800 already stored"). */
  message = $state<string | null>(null);
  error = $state<string | null>(null);

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
  classEntries(label: string): Promise<DatasetEntry[]> {
    return datasetWorker.classEntries(label);
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
      if (preview.accepted > 0) this.phase = 'review';
      else {
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

  /** Step 2: the user confirmed the mapping; hash and store, then update the workspace. */
  async confirm(): Promise<void> {
    if (this.phase !== 'review' || !this.preview) return;
    const renamed = [...this.renames].filter(([from, to]) => to.trim() !== '' && to !== from);
    const decisions: LabelDecisions = {
      ...(this.looseLabel ? { looseLabel: this.looseLabel.trim() } : {}),
      renames: new Map(renamed.map(([from, to]) => [from, to.trim()])),
    };
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

  async edit(change: WorkspaceEdit): Promise<void> {
    this.error = null;
    try {
      await datasetWorker.edit(change);
      await this.changed();
      await this.check();
    } catch (error) {
      this.fail(error);
    }
  }

  /**
   * Decodes the workspace images (the preprocessing cache) and runs the validation report.
   * An edit made while a drop is being reviewed checks without ending that review.
   */
  async check(): Promise<void> {
    const reviewing = this.phase === 'review';
    const finish = () => (reviewing ? (this.phase = 'review') : this.settle());
    if (!this.view) {
      this.findings = [];
      finish();
      return;
    }
    this.phase = 'checking';
    const started = performance.now();
    const onProgress = (done: number, total: number) => {
      this.progress = { fraction: done / total, text: describeProgress({ done, total }, performance.now() - started) };
    };
    try {
      const result = await datasetWorker.check(nextJobId++, DEFAULT_IMAGE_SIZE, Comlink.proxy(onProgress));
      this.findings = result.findings;
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

/** Named, as the next queued drop may be under review while this stays shown. */
function nothingToAdd(preview: PreviewSummary, drop: string): string {
  const parts = [];
  if (preview.rejected.total) parts.push(`${countOf(preview.rejected.total, 'file')} could not be used`);
  if (preview.ignored.total) parts.push(`${countOf(preview.ignored.total, 'file')} ignored`);
  return `Nothing to add from ${drop}: no images found${parts.length ? ` (${parts.join(', ')}; see below)` : ''}.`;
}
