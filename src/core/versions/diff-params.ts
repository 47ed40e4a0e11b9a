import { compareCodePoints } from '../hash/compare-code-points';
import { canonicalJson } from '../objects/canonical-json';

/** One changed parameter (`dvc params diff`); a side without it is undefined. */
export interface ParamChange {
  /** Dotted, e.g. "augment.flip". */
  key: string;
  from: unknown;
  to: unknown;
}

/** The parameters that differ, by dotted key in code-point order. Lists are compared whole. */
export function diffParams(from: Record<string, unknown>, to: Record<string, unknown>): ParamChange[] {
  const before = flattenParams(from);
  const after = flattenParams(to);
  const keys = [...new Set([...before.keys(), ...after.keys()])].sort(compareCodePoints);
  return keys
    .map((key) => ({ key, from: before.get(key), to: after.get(key) }))
    .filter(({ from, to }) => from === undefined || to === undefined || canonicalJson(from) !== canonicalJson(to));
}

/** `{ augment: { flip: true } }` → `augment.flip → true`, as DVC shows nested params. */
export function flattenParams(params: Record<string, unknown>, prefix = '', into = new Map<string, unknown>()): Map<string, unknown> {
  for (const [key, value] of Object.entries(params)) {
    const path = prefix + key;
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) flattenParams(value as Record<string, unknown>, `${path}.`, into);
    else into.set(path, value);
  }
  return into;
}
