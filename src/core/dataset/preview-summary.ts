import type { IngestPlan } from './plan';
import { SPLIT_COLUMNS, type SplitColumn } from './summary';
import type { PathWithReason } from './types';

/** How many named files a list in the preview shows; the rest are counted. */
export const LISTED_FILES = 200;

export interface ListedFiles {
  items: PathWithReason[];
  total: number;
}

/** The inferred mapping shown before anything is stored: small enough for the main thread. */
export interface PreviewSummary {
  root: string;
  /** One row per inferred label; `label: null` for files without a class folder. */
  classes: { label: string | null; counts: Record<SplitColumn, number>; total: number }[];
  columns: SplitColumn[];
  accepted: number;
  acceptedBytes: number;
  needsLabel: number;
  ignored: ListedFiles;
  rejected: ListedFiles;
  warnings: ListedFiles;
}

const listed = (items: PathWithReason[]): ListedFiles => ({ items: items.slice(0, LISTED_FILES), total: items.length });

export function summarizePreview(plan: IngestPlan): PreviewSummary {
  const rows = new Map<string | null, PreviewSummary['classes'][number]>();
  const used = new Set<SplitColumn>();
  for (const file of plan.accepted) {
    const column = file.split ?? 'unsplit';
    let row = rows.get(file.label);
    if (!row) {
      row = { label: file.label, counts: { train: 0, validation: 0, test: 0, unsplit: 0 }, total: 0 };
      rows.set(file.label, row);
    }
    row.counts[column] += 1;
    row.total += 1;
    used.add(column);
  }
  return {
    root: plan.root,
    classes: [...rows.values()].sort((a, b) => (a.label ?? '').localeCompare(b.label ?? '')),
    columns: SPLIT_COLUMNS.filter((column) => used.has(column)),
    accepted: plan.accepted.length,
    acceptedBytes: plan.accepted.reduce((sum, file) => sum + file.size, 0),
    needsLabel: plan.needsLabel.length,
    ignored: listed(plan.ignored),
    rejected: listed(plan.rejected),
    warnings: listed(plan.warnings),
  };
}
