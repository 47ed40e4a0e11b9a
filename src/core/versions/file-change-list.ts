import type { EntryChanges } from '../dataset/changes';
import { compareCodePoints } from '../hash/compare-code-points';
import { SPLITS, type DatasetEntry, type Split } from '../objects/types';

export const FILE_CHANGE_KINDS = ['added', 'removed', 'relabelled', 'modified'] as const;
export type FileChangeKind = (typeof FILE_CHANGE_KINDS)[number];

/** One changed file of a comparison, for its thumbnail. */
export interface FileChange {
  kind: FileChangeKind;
  /** The split and class it is shown under: where it is now, or was (removed). */
  split: Split | null;
  label: string;
  path: string;
  sha256: string;
  /** Relabelled and modified: the file before (another path or class; other bytes). */
  before?: { path: string; split: Split | null; label: string; sha256: string };
}

export interface FileChangePage {
  /** Changed files of each kind, whatever the filter. */
  counts: Record<FileChangeKind, number>;
  /** Files passing the filter. */
  total: number;
  offset: number;
  items: FileChange[];
}

/** Every changed file, grouped by split (train, validation, test, none) then class, then by kind and path. */
export function listFileChanges(changes: EntryChanges): FileChange[] {
  const list: FileChange[] = [
    ...changes.added.map((entry) => change('added', entry)),
    ...changes.removed.map((entry) => change('removed', entry)),
    ...changes.relabelled.map(({ before, after }) => ({ ...change('relabelled', after), before: brief(before) })),
    ...changes.modified.map(({ before, after }) => ({ ...change('modified', after), before: brief(before) })),
  ];
  return list.sort(
    (a, b) =>
      splitRank(a.split) - splitRank(b.split) ||
      compareCodePoints(a.label, b.label) ||
      FILE_CHANGE_KINDS.indexOf(a.kind) - FILE_CHANGE_KINDS.indexOf(b.kind) ||
      compareCodePoints(a.path, b.path),
  );
}

/** One page of the changes of the kinds asked for, in listFileChanges' order. */
export function pageOfFileChanges(list: readonly FileChange[], kinds: readonly FileChangeKind[], offset: number, limit: number): FileChangePage {
  const counts = { added: 0, removed: 0, relabelled: 0, modified: 0 };
  for (const item of list) counts[item.kind] += 1;
  const shown = new Set(kinds);
  const filtered = list.filter((item) => shown.has(item.kind));
  const lastPage = Math.max(0, Math.floor((filtered.length - 1) / limit) * limit);
  const start = Math.max(0, Math.min(offset, lastPage));
  return { counts, total: filtered.length, offset: start, items: filtered.slice(start, start + limit) };
}

const change = (kind: FileChangeKind, { split, label, path, sha256 }: DatasetEntry): FileChange => ({ kind, split, label, path, sha256 });
const brief = ({ path, split, label, sha256 }: DatasetEntry) => ({ path, split, label, sha256 });
const splitRank = (split: Split | null) => (split === null ? SPLITS.length : SPLITS.indexOf(split));
