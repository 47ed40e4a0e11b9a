import { countOf } from '../format/numbers';
import type { DatasetEntry } from '../objects/types';

export interface EntryChanges {
  added: DatasetEntry[];
  removed: DatasetEntry[];
  /** Same path, other content. */
  modified: { before: DatasetEntry; after: DatasetEntry }[];
}

/** What changed from `before` to `after`, matched by path (as `dvc diff` does). */
export function diffEntries(before: readonly DatasetEntry[], after: readonly DatasetEntry[]): EntryChanges {
  const old = new Map(before.map((entry) => [entry.path, entry]));
  const changes: EntryChanges = { added: [], removed: [], modified: [] };
  for (const entry of after) {
    const previous = old.get(entry.path);
    if (!previous) changes.added.push(entry);
    else if (previous.sha256 !== entry.sha256 || previous.label !== entry.label || previous.split !== entry.split) {
      changes.modified.push({ before: previous, after: entry });
    }
    old.delete(entry.path);
  }
  changes.removed.push(...old.values());
  return changes;
}

/** "+1 000 files, −3 files, 2 changed", or null when nothing changed. */
export function describeChanges(counts: { added: number; removed: number; modified: number }): string | null {
  const parts: string[] = [];
  const files = (n: number) => countOf(n, 'file');
  if (counts.added) parts.push(`+${files(counts.added)}`);
  if (counts.removed) parts.push(`−${files(counts.removed)}`);
  if (counts.modified) parts.push(`${files(counts.modified)} changed`);
  return parts.length ? parts.join(', ') : null;
}
