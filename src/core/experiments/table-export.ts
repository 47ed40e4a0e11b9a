import type { BaselineRow, ExperimentRow, ExperimentTable } from './experiment-table';
import { METRIC_COLUMNS, PARAM_COLUMNS, type CellValue } from './table-columns';

/** A CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break. */
function csvField(value: CellValue | undefined): string {
  if (value === null || value === undefined) return '';
  const text = String(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

const INFO = ['Experiment', 'rev', 'typ', 'Created', 'State', 'Executor', 'data', 'code', 'run_cache', 'duration_s', 'reason'] as const;

/**
 * The Experiments table as `dvc exp show --csv` lays it out: the baseline
 * (HEAD) first, then each experiment in the given order; info columns, then
 * metrics, then params under their params.yaml names. Lines end in CRLF.
 */
export function experimentsCsv(table: ExperimentTable): string {
  const header = [...INFO, ...METRIC_COLUMNS.map((c) => c.key), ...PARAM_COLUMNS.map((c) => c.key)];
  const lines = [header.map(csvField).join(',')];
  if (table.baseline) lines.push(baselineCells(table.baseline).map(csvField).join(','));
  for (const row of table.rows) lines.push(rowCells(row).map(csvField).join(','));
  return lines.map((line) => `${line}\r\n`).join('');
}

function baselineCells(baseline: BaselineRow): CellValue[] {
  return [
    baseline.label,
    baseline.versionId,
    'baseline',
    null,
    null,
    null,
    baseline.dataset.md5,
    null,
    null,
    null,
    null,
    ...METRIC_COLUMNS.map((c) => baseline.metrics[c.key] ?? null),
    ...PARAM_COLUMNS.map((c) => c.of(baseline.params)),
  ];
}

function rowCells(row: ExperimentRow): CellValue[] {
  return [
    row.name,
    row.resultId,
    'experiment',
    row.queuedAt,
    row.status,
    row.ranOn,
    row.dataset.md5,
    row.appVersion,
    row.cached?.label ?? null,
    row.durationMs === null ? null : row.durationMs / 1000,
    row.reason,
    ...METRIC_COLUMNS.map((c) => c.value(row)),
    ...PARAM_COLUMNS.map((c) => c.value(row)),
  ];
}

/** The same table as JSON (`dvc exp show --json`-like): the baseline and the experiments, params and metrics by name. */
export function experimentsJson(table: ExperimentTable): string {
  const params = (of: (column: (typeof PARAM_COLUMNS)[number]) => CellValue) => Object.fromEntries(PARAM_COLUMNS.map((c) => [c.key, of(c)]));
  const metrics = (values: Record<string, number>) => Object.fromEntries(METRIC_COLUMNS.flatMap((c) => (c.key in values ? [[c.key, values[c.key]]] : [])));
  const document = {
    format: 'pawprint-experiments',
    schema: 1,
    baseline: table.baseline && {
      name: table.baseline.label,
      rev: table.baseline.versionId,
      data: table.baseline.dataset.md5,
      experiment: table.baseline.experiment,
      metrics: metrics(table.baseline.metrics),
      params: params((c) => c.of(table.baseline!.params)),
    },
    experiments: table.rows.map((row) => ({
      name: row.name,
      id: row.id,
      rev: row.resultId,
      state: row.status,
      queued: row.queuedAt,
      started: row.startedAt,
      ended: row.endedAt,
      reason: row.reason,
      backend: row.backend,
      executor: row.ranOn,
      data: row.dataset.md5,
      code: row.appVersion,
      run_cache: row.cached?.label ?? null,
      duration_s: row.durationMs === null ? null : row.durationMs / 1000,
      metrics: metrics(row.metrics),
      params: params((c) => c.value(row)),
    })),
  };
  return `${JSON.stringify(document, null, 2)}\n`;
}
