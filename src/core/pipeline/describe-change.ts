import { countOf } from '../format/numbers';
import { diffParams } from '../versions/diff-params';
import type { FileChanges } from '../versions/file-changes';

/** "+1 000 files, −3 files, 2 files modified"; "changed files" when the data sets differ in name only. */
export function describeDataChange(changes: FileChanges | null): string {
  if (!changes) return 'changed files';
  const parts = [
    changes.added > 0 && `+${countOf(changes.added, 'file')}`,
    changes.removed > 0 && `−${countOf(changes.removed, 'file')}`,
    changes.modified > 0 && `${countOf(changes.modified, 'file')} modified`,
  ].filter((part): part is string => typeof part === 'string');
  return parts.length > 0 ? parts.join(', ') : 'changed files';
}

/** params.yaml's name of a parameter: `learningRate` → `learning_rate`, `augment.flip` as it is. */
export function paramName(key: string): string {
  return key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`);
}

/** The changed parameters as DVC's params diff reads: "epochs 10 → 5, learning_rate 0.001 → 0.01"; '' when none. */
export function describeParamChanges(from: Record<string, unknown>, to: Record<string, unknown>, keys?: readonly string[]): string {
  return diffParams(from, to)
    // A key one side lacks and the other holds as undefined is no change.
    .filter((change) => change.from !== undefined || change.to !== undefined)
    .filter((change) => keys === undefined || keys.some((key) => change.key === key || change.key.startsWith(`${key}.`)))
    .map((change) => `${paramName(change.key)} ${show(change.from)} → ${show(change.to)}`)
    .join(', ');
}

const show = (value: unknown) => (value === undefined ? '—' : typeof value === 'string' ? value : JSON.stringify(value));
