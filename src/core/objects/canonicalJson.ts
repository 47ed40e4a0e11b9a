import { compareCodePoints } from '../hash/compareCodePoints';

/**
 * The one encoding an object's id is computed from: JSON with object keys
 * sorted by code point at every level and no whitespace. Values JSON cannot
 * represent faithfully are refused rather than silently changed (as
 * `JSON.stringify` would drop `undefined` or turn NaN into null), so two
 * different objects can never share an id.
 */
export function canonicalJson(value: unknown): string {
  return encode(value, '$', new Set());
}

function encode(value: unknown, path: string, ancestors: Set<object>): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`Cannot encode ${value} at ${path}: only finite numbers are allowed.`);
    return JSON.stringify(value);
  }
  if (typeof value !== 'object') {
    const hint = value === undefined ? ' Use null for a missing value.' : '';
    throw new TypeError(`Cannot encode a value of type ${typeof value} at ${path}.${hint}`);
  }
  if (ancestors.has(value)) throw new TypeError(`Cannot encode a circular reference at ${path}.`);
  ancestors.add(value);
  try {
    if (Array.isArray(value)) {
      const items: string[] = [];
      for (let i = 0; i < value.length; i++) items.push(encode(value[i], `${path}[${i}]`, ancestors));
      return `[${items.join(',')}]`;
    }
    const prototype = Object.getPrototypeOf(value) as unknown;
    if (prototype !== Object.prototype && prototype !== null) {
      throw new TypeError(`Cannot encode a ${value.constructor?.name ?? 'non-plain'} object at ${path}: only plain objects are allowed.`);
    }
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort(compareCodePoints)
      .map((key) => `${JSON.stringify(key)}:${encode(record[key], `${path}.${key}`, ancestors)}`);
    return `{${members.join(',')}}`;
  } finally {
    ancestors.delete(value);
  }
}
