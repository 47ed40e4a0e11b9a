import { compareCodePoints } from '../hash/compare-code-points';

/** One metric of either version (`dvc metrics diff`), with the change column. */
export interface MetricChange {
  key: string;
  from: number | null;
  to: number | null;
  /** `to - from`; null when either side lacks the metric. */
  change: number | null;
}

/** Every metric of either version, by key in code-point order, changed or not (as `dvc metrics diff --all`). */
export function diffMetrics(from: Record<string, number>, to: Record<string, number>): MetricChange[] {
  const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].sort(compareCodePoints);
  return keys.map((key) => {
    // Own keys only: an imported model's metadata may name a metric "constructor".
    const before = Object.hasOwn(from, key) ? from[key]! : null;
    const after = Object.hasOwn(to, key) ? to[key]! : null;
    return { key, from: before, to: after, change: before === null || after === null ? null : after - before };
  });
}
