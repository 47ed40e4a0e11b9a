import { countOf } from '../format/numbers';
import type { DatasetEntry } from '../objects/types';

export interface EntryChanges {
  added: DatasetEntry[];
  removed: DatasetEntry[];
  /** Same path, other content. */
  modified: FileMove[];
  /** Same bytes, now in another class or split (so at another path): what "Move to class…" and "Move to split…" make. */
  relabelled: FileMove[];
}

export interface FileMove {
  before: DatasetEntry;
  after: DatasetEntry;
}

/**
 * What changed from `before` to `after`, matched by path (as `dvc diff` does);
 * a file that left one class or split and the same bytes that arrived in
 * another are one relabelled file, not a removal and an addition.
 */
export function diffEntries(before: readonly DatasetEntry[], after: readonly DatasetEntry[]): EntryChanges {
  const old = new Map(before.map((entry) => [entry.path, entry]));
  const changes: EntryChanges = { added: [], removed: [], modified: [], relabelled: [] };
  const added: DatasetEntry[] = [];
  for (const entry of after) {
    const previous = old.get(entry.path);
    if (!previous) added.push(entry);
    else if (previous.sha256 !== entry.sha256 || previous.label !== entry.label || previous.split !== entry.split) {
      changes.modified.push({ before: previous, after: entry });
    }
    old.delete(entry.path);
  }
  const removedBySha = new Map<string, DatasetEntry[]>();
  for (const entry of old.values()) removedBySha.set(entry.sha256, [...(removedBySha.get(entry.sha256) ?? []), entry]);
  const paired = new Set<DatasetEntry>();
  for (const entry of added) {
    const candidates = removedBySha.get(entry.sha256);
    const previous = candidates?.find((gone) => !paired.has(gone) && (gone.label !== entry.label || gone.split !== entry.split));
    if (previous) {
      paired.add(previous);
      changes.relabelled.push({ before: previous, after: entry });
    } else changes.added.push(entry);
  }
  changes.removed.push(...[...old.values()].filter((entry) => !paired.has(entry)));
  return changes;
}

/** "+1 000 files, −3 files, 2 changed, 5 relabelled", or null when nothing changed. */
export function describeChanges(counts: { added: number; removed: number; modified: number; relabelled: number }): string | null {
  const parts: string[] = [];
  const files = (n: number) => countOf(n, 'file');
  if (counts.added) parts.push(`+${files(counts.added)}`);
  if (counts.removed) parts.push(`−${files(counts.removed)}`);
  if (counts.modified) parts.push(`${files(counts.modified)} changed`);
  if (counts.relabelled) parts.push(`${files(counts.relabelled)} relabelled`);
  return parts.length ? parts.join(', ') : null;
}
