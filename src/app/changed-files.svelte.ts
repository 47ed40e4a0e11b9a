import { FILE_CHANGE_KINDS, type FileChangeKind, type FileChangePage } from '../core/versions';
import { versionsWorker } from './workers';

/** Thumbnails per page: a 1 000-file change is ten pages. */
export const CHANGED_FILES_PAGE = 100;

/**
 * The visual diff of a comparison: the files that changed between two versions,
 * a page at a time (listed and filtered in the versions worker), filtered by
 * kind of change.
 */
export class ChangedFiles {
  kinds = $state<FileChangeKind[]>([...FILE_CHANGE_KINDS]);
  page = $state.raw<FileChangePage | null>(null);
  error = $state<string | null>(null);
  private versions: [string, string] | null = null;
  private request = 0;

  /** Shows the first page of another comparison (null: none). */
  async compare(versions: [string, string] | null): Promise<void> {
    const same = versions !== null && this.versions?.[0] === versions[0] && this.versions[1] === versions[1];
    this.versions = versions;
    if (versions === null) this.page = null;
    else await this.load(same ? (this.page?.offset ?? 0) : 0);
  }

  async toggle(kind: FileChangeKind): Promise<void> {
    this.kinds = this.kinds.includes(kind) ? this.kinds.filter((k) => k !== kind) : FILE_CHANGE_KINDS.filter((k) => k === kind || this.kinds.includes(k));
    await this.load(0);
  }

  async next(): Promise<void> {
    if (this.page && this.page.offset + CHANGED_FILES_PAGE < this.page.total) await this.load(this.page.offset + CHANGED_FILES_PAGE);
  }

  async previous(): Promise<void> {
    if (this.page && this.page.offset > 0) await this.load(Math.max(0, this.page.offset - CHANGED_FILES_PAGE));
  }

  private async load(offset: number): Promise<void> {
    const versions = this.versions;
    if (!versions) return;
    const request = ++this.request;
    try {
      const page = await versionsWorker.diffFiles(versions[0], versions[1], $state.snapshot(this.kinds), offset, CHANGED_FILES_PAGE);
      // A later click (another page, filter or comparison) wins over a slower earlier one.
      if (request === this.request) {
        this.page = page;
        this.error = null;
      }
    } catch (error) {
      if (request === this.request) this.error = (error as Error).message;
    }
  }
}
