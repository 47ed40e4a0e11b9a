import type { DatasetEntry, Split } from '../objects/types';

/** Entries without a split folder: the hold-out is made at training time. */
export type SplitColumn = Split | 'unsplit';

export const SPLIT_COLUMNS: readonly SplitColumn[] = ['train', 'validation', 'test', 'unsplit'];

export interface ClassRow {
  label: string;
  counts: Record<SplitColumn, number>;
  total: number;
}

export interface ClassSummary {
  rows: ClassRow[];
  totals: Record<SplitColumn, number>;
  total: number;
  /** Columns that hold at least one file, in display order. */
  columns: SplitColumn[];
}

const emptyCounts = (): Record<SplitColumn, number> => ({ train: 0, validation: 0, test: 0, unsplit: 0 });

/** The "Classes" table: one row per label, one column per split. */
export function summarizeClasses(entries: readonly DatasetEntry[]): ClassSummary {
  const byLabel = new Map<string, ClassRow>();
  const totals = emptyCounts();
  for (const entry of entries) {
    const column = entry.split ?? 'unsplit';
    let row = byLabel.get(entry.label);
    if (!row) {
      row = { label: entry.label, counts: emptyCounts(), total: 0 };
      byLabel.set(entry.label, row);
    }
    row.counts[column] += 1;
    row.total += 1;
    totals[column] += 1;
  }
  const rows = [...byLabel.values()].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  return { rows, totals, total: entries.length, columns: SPLIT_COLUMNS.filter((column) => totals[column] > 0) };
}
