import { compareCodePoints } from '../hash/compare-code-points';
import { pythonJsonString } from '../hash/dvc';
import { pythonFloatRepr } from '../train/python-float';

/**
 * metrics.json exactly as train.py writes it (`json.dumps(metrics, indent=2,
 * sort_keys=True)` and a newline), so the browser's file and PyTorch's differ
 * only in their numbers.
 */
export function metricsJson(metrics: Readonly<Record<string, number>>): string {
  const keys = Object.keys(metrics).sort(compareCodePoints);
  if (keys.length === 0) return '{}\n';
  const lines = keys.map((key) => `  ${pythonJsonString(key)}: ${pythonFloatRepr(metrics[key]!)}`);
  return `{\n${lines.join(',\n')}\n}\n`;
}
