import type { ExperimentRow } from './experiment-table';

/**
 * Rows the Experiments table shows before "Show all": building 200 rows of ~20 cells took
 * ~280 ms of one main-thread task after a reload; 50 fill a screen or two.
 */
export const TABLE_PAGE = 50;

/**
 * The first `size` rows in the order shown, and after them any queued or running row further
 * down: what waits or runs, with its Cancel or Stop button, is never hidden.
 */
export function tablePage(rows: readonly ExperimentRow[], size = TABLE_PAGE): ExperimentRow[] {
  if (rows.length <= size) return [...rows];
  return [...rows.slice(0, size), ...rows.slice(size).filter((row) => row.status === 'queued' || row.status === 'running')];
}
