import { pythonFloatRepr } from '../train/python-float';
import { yamlMappingValue } from '../hash/yaml-scalar';

/** One leaf of a YAML mapping: its dotted key (`train.augment.flip`, as dvc.yaml names params) and its value. */
export interface YamlLeaf {
  key: string;
  value: string | number | boolean;
  /** Write a whole number as a float (`1.0`), so it reads back as one. */
  float?: boolean;
}

/**
 * A block mapping from leaves in order, nesting on the dots of their keys:
 * leaves sharing a parent must be adjacent. Strings are quoted as DVC's YAML
 * writer would; floats always carry a "." (`1.0e-05`, as ruamel writes them),
 * so YAML 1.1 readers such as PyYAML read them as floats too.
 */
export function yamlMapping(leaves: readonly YamlLeaf[]): string {
  const lines: string[] = [];
  let open: string[] = [];
  for (const { key, value, float } of leaves) {
    const path = key.split('.');
    const parents = path.slice(0, -1);
    let shared = 0;
    while (shared < open.length && open[shared] === parents[shared]) shared++;
    parents.slice(shared).forEach((parent, i) => lines.push(`${'  '.repeat(shared + i)}${parent}:`));
    open = parents;
    const head = `${'  '.repeat(parents.length)}${path.at(-1)}:`;
    lines.push(head + yamlValue(value, float === true, head.length, parents.length + 1));
  }
  return lines.map((line) => `${line}\n`).join('');
}

/** The text after `key:`, leading space included (`column`: where that text starts; `depth`: the key's nesting). */
export function yamlValue(value: string | number | boolean, float: boolean, column: number, depth: number): string {
  if (typeof value === 'string') return yamlMappingValue(value, { column, indent: depth * 2 });
  if (typeof value === 'boolean') return ` ${value}`;
  return ` ${float || !Number.isInteger(value) ? yamlFloat(value) : String(value)}`;
}

function yamlFloat(value: number): string {
  const repr = pythonFloatRepr(value);
  return repr.includes('e') && !repr.includes('.') ? repr.replace('e', '.0e') : repr;
}
