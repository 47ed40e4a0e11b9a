import { compareCodePoints } from '../hash/compare-code-points';
import { pythonFloatRepr } from './python-float';

/**
 * metrics.csv byte for byte as Keras' CSVLogger writes it: `epoch` then the
 * other keys sorted, from the first row (CSVLogger fixes its columns at the
 * first epoch), csv.DictWriter's excel dialect (comma, "\r\n" after every
 * row), the epoch as an int and every metric as Python's float repr; a key a
 * later row lacks is written "NA". No rows, no header: CSVLogger writes its
 * header with the first epoch.
 */
export function metricsCsv(history: readonly Readonly<Record<string, number>>[]): string {
  const first = history[0];
  if (!first) return '';
  const keys = Object.keys(first)
    .filter((key) => key !== 'epoch')
    .sort(compareCodePoints);
  const lines = [['epoch', ...keys].join(',')];
  for (const row of history) {
    const cells = keys.map((key) => (Object.hasOwn(row, key) ? pythonFloatRepr(row[key]!) : 'NA'));
    lines.push([String(row['epoch']), ...cells].join(','));
  }
  return lines.map((line) => `${line}\r\n`).join('');
}
