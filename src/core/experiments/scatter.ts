import type { ExperimentRow } from './experiment-table';
import { METRIC_COLUMNS, PARAM_COLUMNS, type ParamColumn } from './table-columns';

export interface ScatterPoint {
  x: number;
  y: number;
  /** The experiment's name, for the point's label. */
  name: string;
}

export interface Scatter {
  points: ScatterPoint[];
  /** Categories (a model, on/off) plotted at 0, 1, …: their names in that order; null for a numeric param. */
  categories: string[] | null;
  /** A log axis suits this param here: it is a rate (learning rate) or its values span a factor of 10 or more, all positive. */
  logSuggested: boolean;
  /** A log axis can be drawn: every value is positive. */
  logPossible: boolean;
}

/**
 * One param against one metric over the finished experiments: a point per run
 * with a value for both. Text and true/false params become categories.
 */
export function scatterOf(rows: readonly ExperimentRow[], paramKey: string, metricKey: string): Scatter {
  const param = PARAM_COLUMNS.find((column) => column.key === paramKey) as ParamColumn | undefined;
  const metric = METRIC_COLUMNS.find((column) => column.key === metricKey);
  if (!param || !metric) return { points: [], categories: null, logSuggested: false, logPossible: false };
  const pairs = rows.flatMap((row) => {
    const x = param.value(row);
    const y = metric.value(row);
    return x !== null && typeof y === 'number' && Number.isFinite(y) ? [{ x, y, name: row.name }] : [];
  });
  const numeric = pairs.every((pair) => typeof pair.x === 'number');
  if (!numeric) {
    const categories = [...new Set(pairs.map((pair) => String(pair.x)))].sort();
    return {
      points: pairs.map((pair) => ({ x: categories.indexOf(String(pair.x)), y: pair.y, name: pair.name })),
      categories,
      logSuggested: false,
      logPossible: false,
    };
  }
  const points = pairs.map((pair) => ({ x: pair.x as number, y: pair.y, name: pair.name })).sort((a, b) => a.x - b.x);
  const xs = points.map((point) => point.x);
  const logPossible = xs.length > 0 && xs.every((x) => x > 0);
  const spread = logPossible ? Math.max(...xs) / Math.min(...xs) : 1;
  return { points, categories: null, logSuggested: logPossible && (param.logScale === true || spread >= 10), logPossible };
}
