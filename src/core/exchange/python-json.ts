import { compareCodePoints } from '../hash/compare-code-points';
import { pythonFloatRepr } from '../train/python-float';

/** A number Python holds as a float (written "1.0", not "1"). */
export class PyFloat {
  constructor(readonly value: number) {}
}

/** JSON values as Python holds them; mappings are Maps, since their keys (class names, splits) are data. */
export type PyJson = null | boolean | number | string | PyFloat | readonly PyJson[] | ReadonlyMap<string, PyJson>;

/**
 * The text of Python's `json.dumps(value, indent=2, sort_keys=True,
 * ensure_ascii=False) + "\n"`, so a file the page writes is the file an
 * exported script writes from the same facts. Numbers other than PyFloat are
 * Python ints.
 */
export function pythonJsonDumps(value: PyJson): string {
  return `${dump(value, '')}\n`;
}

function dump(value: PyJson, indent: string): string {
  if (value instanceof PyFloat) return pythonFloatRepr(value.value);
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = `${indent}  `;
  if (value instanceof Map) {
    const keys = [...(value as ReadonlyMap<string, PyJson>).keys()].sort(compareCodePoints);
    if (keys.length === 0) return '{}';
    return `{\n${keys.map((key) => `${inner}${JSON.stringify(key)}: ${dump(value.get(key)!, inner)}`).join(',\n')}\n${indent}}`;
  }
  const list = value as readonly PyJson[];
  if (list.length === 0) return '[]';
  return `[\n${list.map((item) => `${inner}${dump(item, inner)}`).join(',\n')}\n${indent}]`;
}
