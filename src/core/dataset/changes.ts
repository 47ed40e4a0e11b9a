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
export function describeChanges(changes: EntryChanges): string | null {
  const parts: string[] = [];
  const files = (n: number) => countOf(n, 'file');
  if (changes.added.length) parts.push(`+${files(changes.added.length)}`);
  if (changes.removed.length) parts.push(`−${files(changes.removed.length)}`);
  if (changes.modified.length) parts.push(`${files(changes.modified.length)} changed`);
  return parts.length ? parts.join(', ') : null;
}
