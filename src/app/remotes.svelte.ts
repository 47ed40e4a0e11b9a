import * as Comlink from 'comlink';
import { formatBytes } from '../core/format/bytes';
import { countOf, groupDigits } from '../core/format/numbers';
import { describeProgress, type TransferProgress } from '../core/format/progress';
import type { PullResult, PushResult, TagConflict } from '../core/remote';
import type { RemoteTarget } from '../workers/lib/open-remote';
import { download } from './download';
import { folderPicker, pickFolder } from './input/pick-folder';
import type { VersionsState } from './versions.svelte';
import { versionsWorker } from './workers';

/** What the Remotes region is doing; each has its progress line and a Cancel. */
export type RemoteJob = 'push' | 'pull' | 'export' | 'import';

const URL_KEY = 'pawprint-remote-url';
// The header is a credential: kept in this origin's storage only, never logged or shown.
const AUTHORIZATION_KEY = 'pawprint-remote-authorization';

let nextJobId = 1;

/** The Remotes region: push/pull to a folder or an HTTP remote, bundles, and which versions go. */
export class RemotesState {
  url = $state(localStorage.getItem(URL_KEY) ?? '');
  authorization = $state(localStorage.getItem(AUTHORIZATION_KEY) ?? '');
  /** Versions the user unticked under "Versions to push"; new versions start ticked. */
  unticked = $state<string[]>([]);
  job = $state<RemoteJob | null>(null);
  progress = $state<{ fraction: number; text: string } | null>(null);
  notice = $state<string | null>(null);
  error = $state<string | null>(null);
  /** Said before a pull fetches files that may not fit in what the browser says is left. */
  warning = $state<string | null>(null);
  readonly hasFolderPicker = folderPicker() !== null;
  private jobId = 0;

  constructor(
    private readonly versions: VersionsState,
    /** Re-reads everything refs decide, after a pull moved them. */
    private readonly changed: () => Promise<void>,
  ) {}

  /** Committed versions, newest first: what "Versions to push" offers. */
  get committed() {
    return this.versions.timeline.filter((item) => !item.isStash);
  }

  rememberRemote(): void {
    localStorage.setItem(URL_KEY, this.url.trim());
    if (this.authorization) localStorage.setItem(AUTHORIZATION_KEY, this.authorization);
    else localStorage.removeItem(AUTHORIZATION_KEY);
  }

  toggleVersion(id: string): void {
    this.unticked = this.unticked.includes(id) ? this.unticked.filter((other) => other !== id) : [...this.unticked, id];
  }

  /** "Push": to a picked folder, or where no folder can be picked, a zip download of the same layout. */
  async pushToFolder(): Promise<void> {
    this.clearMessages();
    const versionIds = this.selection();
    if (versionIds === null) return;
    const picker = folderPicker();
    if (picker === null) return this.exportBundle(versionIds);
    const handle = await this.attempt(() => pickFolder(picker, 'readwrite'));
    if (handle) await this.push({ kind: 'folder', handle }, `the folder “${handle.name}”`, versionIds);
  }

  async pullFromFolder(): Promise<void> {
    this.clearMessages();
    const picker = folderPicker();
    if (picker === null) return;
    const handle = await this.attempt(() => pickFolder(picker, 'read'));
    if (handle) await this.pull({ kind: 'folder', handle }, `the folder “${handle.name}”`);
  }

  async pushToUrl(): Promise<void> {
    this.clearMessages();
    const versionIds = this.selection();
    const target = versionIds === null ? null : this.httpTarget();
    if (target) await this.push(target, target.url, versionIds ?? undefined);
  }

  async pullFromUrl(): Promise<void> {
    this.clearMessages();
    const target = this.httpTarget();
    if (target) await this.pull(target, target.url);
  }

  /** "Export bundle": every version (or the selection, for a Push without a folder picker) as one zip. */
  async exportBundle(versionIds?: string[]): Promise<void> {
    const name = `pawprint-bundle-${new Date().toISOString().slice(0, 10)}.zip`;
    await this.run('export', async (onProgress) => {
      const { zip, result } = await versionsWorker.exportBundle(this.jobId, versionIds, onProgress);
      download(name, zip as Uint8Array<ArrayBuffer>, 'application/zip');
      this.notice = `Saved ${countOf(result.versions.length, 'version')} in ${name} (${formatBytes(zip.byteLength)}).`;
    });
  }

  /** "Import bundle" (and Pull from a zip): restores into an empty browser, merges into one with versions. */
  async importBundle(file: File): Promise<void> {
    await this.run('import', async (onProgress) => {
      const result = await versionsWorker.importBundle(this.jobId, file, onProgress);
      await this.changed();
      this.notice = pulledNotice('Imported', file.name, result, (id) => this.versions.labelOf(id));
    });
  }

  cancel(): void {
    void versionsWorker.cancel(this.jobId);
  }

  /** The ticked versions (undefined: all of them); null, with the reason shown, when none is. */
  private selection(): string[] | undefined | null {
    if (this.unticked.length === 0) return undefined;
    const ticked = this.committed.filter((item) => !this.unticked.includes(item.id)).map((item) => item.id);
    if (ticked.length > 0) return ticked;
    this.error = 'Tick at least one version under “Versions to push”.';
    return null;
  }

  private async push(target: RemoteTarget, name: string, versionIds: string[] | undefined): Promise<void> {
    await this.run('push', async (onProgress) => {
      this.notice = pushedNotice(name, await versionsWorker.push(this.jobId, target, versionIds, onProgress));
    });
  }

  private async pull(target: RemoteTarget, name: string): Promise<void> {
    await this.run('pull', async (onProgress) => {
      const result = await versionsWorker.pull(this.jobId, target, onProgress, Comlink.proxy((warning: string) => (this.warning = warning)));
      await this.changed();
      this.notice = pulledNotice('Pulled', name, result, (id) => this.versions.labelOf(id));
    });
  }

  private httpTarget(): Extract<RemoteTarget, { kind: 'http' }> | null {
    const url = this.url.trim();
    if (url === '') {
      this.error = 'Enter the remote’s URL first, e.g. https://example.org/dvc-store.';
      return null;
    }
    this.rememberRemote();
    return { kind: 'http', url, ...(this.authorization ? { authorization: this.authorization } : {}) };
  }

  /** Runs one job with its progress line; a cancel is said as such, any other failure as the error. */
  private async run(job: RemoteJob, work: (onProgress: (progress: TransferProgress) => void) => Promise<void>): Promise<void> {
    if (this.job !== null) return;
    this.job = job;
    this.jobId = nextJobId++;
    this.clearMessages();
    this.progress = null;
    const started = performance.now();
    const onProgress = (progress: TransferProgress) => {
      this.progress = { fraction: progress.total ? progress.done / progress.total : 0, text: describeProgress(progress, performance.now() - started) };
    };
    try {
      await work(Comlink.proxy(onProgress));
    } catch (error) {
      const { name, message } = error as Error;
      if (name === 'AbortError') this.notice = CANCELLED[job];
      else this.error = message || String(error);
    } finally {
      this.job = null;
      this.progress = null;
    }
  }

  /** The last outcome goes as soon as the next action starts (before a folder is picked). */
  private clearMessages(): void {
    this.error = null;
    this.notice = null;
    this.warning = null;
  }

  /** Errors before a job starts (the folder picker): shown like a job's. */
  private async attempt<T>(step: () => Promise<T>): Promise<T | null> {
    try {
      return await step();
    } catch (error) {
      this.error = (error as Error).message;
      return null;
    }
  }
}

const CANCELLED: Record<RemoteJob, string> = {
  push: 'Push cancelled: the remote’s index was not changed, so it lists only complete versions.',
  pull: 'Pull cancelled: nothing was added to this browser’s versions.',
  export: 'Export cancelled.',
  import: 'Import cancelled: nothing was added to this browser’s versions.',
};

/** "Pushed 2 versions to …: 2 812 files written (67 MB), 0 skipped." */
function pushedNotice(name: string, result: PushResult): string {
  return (
    `Pushed ${countOf(result.versions.length, 'version')} to ${name}: ` +
    `${countOf(result.written, 'file')} written (${formatBytes(result.bytesWritten)}), ${groupDigits(result.skipped)} skipped.` +
    tagConflictText(result.tagConflicts, 'on the remote') +
    stageConflictText(result.stageConflicts, 'on the remote')
  );
}

/** "Pulled 2 versions from …: 2 812 files fetched (67 MB), 0 already stored. Checked out v2.0." */
function pulledNotice(verb: string, name: string, result: PullResult, labelOf: (id: string) => string): string {
  const known = result.versions.length - result.added.length;
  return (
    `${verb} ${countOf(result.added.length, 'version')} from ${name}${known > 0 ? ` (${groupDigits(known)} already here)` : ''}: ` +
    `${countOf(result.filesFetched, 'file')} fetched (${formatBytes(result.bytesFetched)}), ${groupDigits(result.filesSkipped)} already stored.` +
    (result.assignmentsAdded > 0 ? ` ${countOf(result.assignmentsAdded, 'stage assignment')} added to the registry.` : '') +
    (result.checkedOut ? ` Checked out ${labelOf(result.checkedOut)}.` : '') +
    (result.checkoutSkipped ? ` Its HEAD was not checked out: ${result.checkoutSkipped}.` : '') +
    tagConflictText(result.tagConflicts, 'here') +
    stageConflictText(result.stageConflicts, 'here')
  );
}

function stageConflictText(tags: readonly string[], where: string): string {
  if (tags.length === 0) return '';
  return ` ${tags.length === 1 ? 'Assignment' : 'Assignments'} ${tags.join(', ')} already named another assignment ${where} and ${tags.length === 1 ? 'was' : 'were'} kept there.`;
}

function tagConflictText(conflicts: readonly TagConflict[], where: string): string {
  if (conflicts.length === 0) return '';
  const tags = conflicts.map(({ tag }) => tag).join(', ');
  return ` ${conflicts.length === 1 ? 'Tag' : 'Tags'} ${tags} already named another version ${where} and ${conflicts.length === 1 ? 'was' : 'were'} kept there.`;
}
