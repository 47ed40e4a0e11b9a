import * as Comlink from 'comlink';
import type { AcceptanceRule } from '../core/objects/types';
import type { Store, UnreachableSummary, VerifyProgress, VerifyReport } from '../core/store';
import { describeCleanUp, type BlobUse, type StorageReport, type TimelineItem, type VersionDiff, type WorkspaceStatus } from '../core/versions';
import { formatBytes } from '../core/format/bytes';
import { ChangedFiles } from './changed-files.svelte';
import { download, downloadModelFiles, downloadName, downloadOnnx } from './download';
import { storeWorker, versionsWorker } from './workers';
import { guarded } from './guarded';

let nextVerifyJob = 1;

/** A checkout waiting for the user to decide what happens to uncommitted work. */
export interface PendingCheckout {
  versionId: string;
  dataOnly: boolean;
  /** What would be lost, e.g. "+1 000 files in train/cats, model trained, not committed". */
  statusText: string;
}

/** The Versions region: status, commit form, timeline, checkout, compare, storage and verify. */
export class VersionsState {
  status = $state.raw<WorkspaceStatus | null>(null);
  timeline = $state.raw<TimelineItem[]>([]);
  storage = $state.raw<StorageReport | null>(null);
  message = $state('');
  tag = $state('');
  busy = $state(false);
  error = $state<string | null>(null);
  /** The workspace status line when `error` was set: once the workspace moves on (an import, a run), the error is stale. */
  private errorStatus: string | null = null;
  notice = $state<string | null>(null);
  /** Up to two version ids, in the order they were ticked: the comparison goes from the first to the second. */
  compare = $state<string[]>([]);
  diff = $state.raw<VersionDiff | null>(null);
  /** The thumbnails of the files that differ between the two compared versions. */
  readonly changedFiles = new ChangedFiles();
  pendingCheckout = $state<PendingCheckout | null>(null);
  verifyReport = $state.raw<VerifyReport | null>(null);
  /** For each damaged file of the last verify, its paths and the versions that hold it. */
  affected = $state.raw<Map<string, BlobUse>>(new Map());
  /** Verify runs beside other version actions (it only reads): its own progress, not `busy`. */
  verifying = $state.raw<VerifyProgress | null>(null);
  verifyError = $state<string | null>(null);
  private verifyJob = 0;
  /** What no version, workspace, stash or run reaches, found at start-up or after a change (null: not looked yet). */
  leftovers = $state.raw<UnreachableSummary | null>(null);
  /** Clean up drops the pixel and feature caches too (a separate choice: they are rebuilt when needed). */
  dropCaches = $state(false);
  cleaning = $state(false);
  cleanUpResult = $state<string | null>(null);

  readonly byId = $derived(new Map(this.timeline.map((item) => [item.id, item])));
  readonly storageById = $derived(new Map((this.storage?.versions ?? []).map((entry) => [entry.id, entry])));

  constructor(
    private readonly store: () => Store | null,
    /** After this page moved refs: re-reads what they decide (this region included) and tells other tabs. */
    private readonly changed: () => Promise<void>,
    /** The acceptance rule the Training region shows: a commit with a model records it. */
    private readonly rule: () => AcceptanceRule,
  ) {}

  async refresh(): Promise<void> {
    const overview = await versionsWorker.overview();
    this.status = overview.status;
    if (this.error !== null && !this.busy && this.errorStatus !== null && this.errorStatus !== overview.status.text) this.error = null;
    this.timeline = overview.timeline;
    this.storage = overview.storage;
    this.compare = this.compare.filter((id) => overview.timeline.some((item) => item.id === id));
    await this.loadDiff();
  }

  /** Name a version: first tag, else its message. */
  labelOf(id: string): string {
    const item = this.byId.get(id);
    return item?.tags[0] ?? item?.version.message ?? id.slice(0, 8);
  }

  async commit(): Promise<void> {
    await this.run(async () => {
      const tag = this.tag.trim();
      const { version } = await versionsWorker.commit({ message: this.message, acceptance: this.rule(), ...(tag ? { tag } : {}) });
      this.notice = `Committed “${version.message}”${tag ? ` as ${tag}` : ''}${version.model ? ' with its model' : ' (data only)'}.`;
      this.message = '';
      this.tag = '';
    });
  }

  /** Check out a version; with uncommitted work, asks first (see resolveCheckout). */
  async checkout(versionId: string, dataOnly: boolean): Promise<void> {
    await this.run(async () => {
      try {
        await versionsWorker.checkout(versionId, { dataOnly });
        this.notice = `Checked out ${dataOnly ? 'the data of ' : ''}${this.labelOf(versionId)}.`;
      } catch (error) {
        if ((error as Error).name !== 'UncommittedChangesError') throw error;
        this.pendingCheckout = { versionId, dataOnly, statusText: this.status?.text ?? '' };
      }
    });
  }

  async resolveCheckout(choice: 'stash' | 'discard' | 'cancel', stashMessage = ''): Promise<void> {
    const pending = this.pendingCheckout;
    if (!pending || choice === 'cancel') {
      this.pendingCheckout = null;
      return;
    }
    await this.run(async () => {
      const options = choice === 'stash' ? { dataOnly: pending.dataOnly, stashMessage } : { dataOnly: pending.dataOnly, force: true };
      const result = await versionsWorker.checkout(pending.versionId, options);
      this.pendingCheckout = null;
      this.notice = `Checked out ${pending.dataOnly ? 'the data of ' : ''}${this.labelOf(pending.versionId)}${result.stash ? '; your work is kept as a stash in the timeline' : ''}.`;
    });
  }

  async tagVersion(versionId: string, tag: string, move = false): Promise<void> {
    await this.run(async () => {
      await versionsWorker.tag(versionId, tag.trim(), move);
      this.notice = `Tagged ${tag.trim()}.`;
    });
  }

  async untag(tag: string): Promise<void> {
    await this.run(() => versionsWorker.untag(tag));
  }

  async deleteVersion(versionId: string, force = false): Promise<void> {
    const label = this.labelOf(versionId);
    await this.run(async () => {
      const freed = await versionsWorker.deleteVersion(versionId, force);
      this.notice = `Deleted “${label}”: ${formatBytes(freed.bytesFreed)} freed (${freed.blobsDeleted} files, ${freed.objectsDeleted} records no other version needed).`;
    });
  }

  async toggleCompare(versionId: string): Promise<void> {
    this.compare = this.compare.includes(versionId)
      ? this.compare.filter((id) => id !== versionId)
      : [...this.compare, versionId].slice(-2);
    await this.loadDiff();
  }

  /** Verify store: rehashes everything in the store worker, with progress; Cancel stops it; version actions stay available. */
  async verify(): Promise<void> {
    if (this.verifying) return;
    this.verifyJob = nextVerifyJob++;
    this.verifying = { done: 0, total: 0 };
    this.verifyError = null;
    this.verifyReport = null;
    // Progress comes on its own port: its last report can land after the result, and must not
    // bring the bar (and a disabled Verify store) back once the check has ended.
    let running = true;
    const onProgress = (progress: VerifyProgress) => {
      if (running) this.verifying = progress;
    };
    try {
      const { report, affected } = await storeWorker.verify(this.verifyJob, Comlink.proxy(onProgress));
      this.verifyReport = report;
      this.affected = new Map(Object.entries(affected));
      this.leftovers = report.unreachable ?? this.leftovers;
    } catch (error) {
      const cancelled = /abort|cancel/i.test(`${(error as Error).name} ${(error as Error).message}`);
      this.verifyError = cancelled ? 'Verify cancelled: nothing was changed.' : (error as Error).message;
    } finally {
      running = false;
      this.verifying = null;
    }
  }

  cancelVerify(): void {
    void storeWorker.cancel(this.verifyJob);
  }

  /** Looks for what nothing reaches (at start-up: an import closed half-way), to offer Clean up; never deletes. */
  async findLeftovers(): Promise<void> {
    this.leftovers = await versionsWorker.unreachable();
  }

  /** Clean up: removes what nothing reaches (and the caches when chosen), then says what it freed. */
  async cleanUp(): Promise<void> {
    this.cleaning = true;
    this.cleanUpResult = null;
    await this.run(async () => {
      try {
        this.cleanUpResult = describeCleanUp(await versionsWorker.cleanUp(this.dropCaches));
        this.leftovers = await versionsWorker.unreachable();
      } finally {
        this.cleaning = false;
      }
    });
  }

  /** "Download model": the tfjs files of a version's model (or of the last run). */
  async downloadModel(versionId: string): Promise<void> {
    await this.run(async () => {
      downloadModelFiles(await versionsWorker.exportModel(versionId));
    }, false);
  }

  /** "Download ONNX": model.onnx of a version's model. */
  async downloadOnnx(versionId: string): Promise<void> {
    await this.run(() => downloadOnnx(versionId));
  }

  /** "Download as DVC project": a zip to unpack, `git init && dvc init`, and `dvc repro`. */
  async downloadProject(versionId: string): Promise<void> {
    await this.run(async () => {
      const zip = await versionsWorker.exportProject(versionId);
      download(`${downloadName(this.labelOf(versionId))}.zip`, zip as Uint8Array<ArrayBuffer>, 'application/zip');
    }, false);
  }

  private async loadDiff(): Promise<void> {
    const [from, to] = this.compare;
    const pair: [string, string] | null = from && to ? [from, to] : null;
    [this.diff] = await Promise.all([pair ? versionsWorker.diff(pair[0], pair[1]) : null, this.changedFiles.compare(pair)]);
  }

  /** Runs an operation with busy/error handling; after one that writes (or tried to), everything refs decide is re-read. */
  private async run(operation: () => Promise<unknown>, writes = true): Promise<void> {
    if (!this.store()) return;
    this.errorStatus = null;
    await guarded(this, operation);
    if (writes) await this.changed();
    this.errorStatus = this.error === null ? null : (this.status?.text ?? null);
  }
}
