import { architectureLabel } from '../train/params-form';
import type { TrainParams } from '../train/params';
import type { ExperimentRow } from './experiment-table';

export type CellValue = number | string | boolean | null;

/** A column of the Experiments table; `key` is params.yaml's name for a param (what CSV and JSON use too). */
export interface Column {
  key: string;
  label: string;
  kind: 'info' | 'param' | 'metric';
  value: (row: ExperimentRow) => CellValue;
  /** Metrics: which end is best (marked in the table). */
  best?: 'max' | 'min';
}

/** A training parameter as a column: its params.yaml key, its label, and how to read it from params. */
export interface ParamColumn extends Column {
  kind: 'param';
  of: (params: Partial<TrainParams>) => CellValue;
  /** A number that spans orders of magnitude (the learning rate): a scatter plots it on a log axis. */
  logScale?: boolean;
}

function param(key: string, label: string, of: (params: Partial<TrainParams>) => CellValue, logScale = false): ParamColumn {
  return { key, label, kind: 'param', of, value: (row) => of(row.params), ...(logScale ? { logScale } : {}) };
}

export const PARAM_COLUMNS: readonly ParamColumn[] = [
  param('architecture', 'Model', (p) => (p.architecture === undefined ? null : architectureLabel(p.architecture))),
  param('image_size', 'Image size', (p) => p.imageSize ?? null),
  param('epochs', 'Epochs', (p) => p.epochs ?? null),
  param('batch_size', 'Batch size', (p) => p.batchSize ?? null),
  param('learning_rate', 'Learning rate', (p) => p.learningRate ?? null, true),
  param('seed', 'Seed', (p) => p.seed ?? null),
  param('augment.flip', 'Flip', (p) => p.augment?.flip ?? null),
  param('augment.shift', 'Shift', (p) => p.augment?.shift ?? null),
];

const metric = (key: string, best: 'max' | 'min'): Column => ({ key, label: key, kind: 'metric', best, value: (row) => row.metrics[key] ?? null });

/** The tutorial's metrics.csv columns, each with the end that is best. */
export const METRIC_COLUMNS: readonly Column[] = [metric('accuracy', 'max'), metric('loss', 'min'), metric('val_accuracy', 'max'), metric('val_loss', 'min')];

export const INFO_COLUMNS: readonly Column[] = [
  { key: 'experiment', label: 'Experiment', kind: 'info', value: (row) => row.name },
  { key: 'state', label: 'State', kind: 'info', value: (row) => row.status },
  { key: 'created', label: 'Queued', kind: 'info', value: (row) => row.queuedAt },
  { key: 'duration', label: 'Time', kind: 'info', value: (row) => (row.durationMs === null ? null : row.durationMs / 1000) },
  { key: 'backend', label: 'Backend', kind: 'info', value: (row) => row.ranOn },
];

export const ALL_COLUMNS: readonly Column[] = [...INFO_COLUMNS, ...PARAM_COLUMNS, ...METRIC_COLUMNS];

export function columnOf(key: string): Column | undefined {
  return ALL_COLUMNS.find((column) => column.key === key);
}

/** Compares two cells: numbers by value, text by code point, false before true; an empty cell sorts last either way. */
function compareCells(a: CellValue, b: CellValue): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  if (typeof a === 'boolean' && typeof b === 'boolean') return Number(a) - Number(b);
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** The rows sorted by one column (stable: queue order breaks ties), empty cells last in both directions. */
export function sortRows(rows: readonly ExperimentRow[], key: string, direction: 'ascending' | 'descending'): ExperimentRow[] {
  const column = columnOf(key);
  if (!column) return [...rows];
  const sign = direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => {
    const x = column.value(a);
    const y = column.value(b);
    if (x === null || y === null) return x === y ? a.order - b.order : x === null ? 1 : -1;
    return sign * compareCells(x, y) || a.order - b.order;
  });
}

/** For each metric, the ids of the rows holding its best value (ties: all of them); a metric nobody has is left out. */
export function bestRows(rows: readonly ExperimentRow[]): Map<string, Set<string>> {
  const best = new Map<string, Set<string>>();
  for (const column of METRIC_COLUMNS) {
    const values = rows.flatMap((row) => {
      const value = column.value(row);
      return typeof value === 'number' && Number.isFinite(value) ? [{ id: row.id, value }] : [];
    });
    if (values.length === 0) continue;
    const target = column.best === 'min' ? Math.min(...values.map((v) => v.value)) : Math.max(...values.map((v) => v.value));
    best.set(column.key, new Set(values.filter((v) => v.value === target).map((v) => v.id)));
  }
  return best;
}
