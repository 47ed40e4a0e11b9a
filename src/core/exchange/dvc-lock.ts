import { compareCodePoints } from '../hash/compare-code-points';
import { yamlMappingValue } from '../hash/yaml-scalar';
import { yamlValue, type YamlLeaf } from './yaml-mapping';

/** A dep or out as dvc.lock records it: md5 of a file, or DVC's `<md5>.dir` of a folder with its file count. */
export interface LockEntry {
  path: string;
  md5: string;
  size: number;
  nfiles?: number;
}

export interface LockStage {
  name: string;
  cmd: string;
  deps: readonly LockEntry[];
  /** params.yaml's values the stage read, by dotted key. */
  params: readonly YamlLeaf[];
  outs: readonly LockEntry[];
}

/**
 * dvc.lock as DVC 3 writes it (schema '2.0'): per stage its cmd, deps sorted
 * by path (`path`, `hash: md5`, `md5`, `size`, and `nfiles` for a folder),
 * the params.yaml values it read sorted by key, and its outs likewise. With
 * the hashes of the files beside it, `dvc status` finds every stage up to date.
 */
export function dvcLock(stages: readonly LockStage[]): string {
  const lines = ["schema: '2.0'", 'stages:'];
  for (const stage of stages) {
    lines.push(`  ${stage.name}:`, `    cmd:${yamlMappingValue(stage.cmd, { column: '    cmd:'.length, indent: 6 })}`);
    if (stage.deps.length) lines.push('    deps:', ...entries(stage.deps));
    if (stage.params.length) {
      lines.push('    params:', '      params.yaml:');
      for (const leaf of [...stage.params].sort((a, b) => compareCodePoints(a.key, b.key))) {
        const head = `        ${leaf.key}:`;
        lines.push(head + yamlValue(leaf.value, leaf.float === true, head.length, 5));
      }
    }
    if (stage.outs.length) lines.push('    outs:', ...entries(stage.outs));
  }
  return lines.map((line) => `${line}\n`).join('');
}

function entries(list: readonly LockEntry[]): string[] {
  return [...list]
    .sort((a, b) => compareCodePoints(a.path, b.path))
    .flatMap((entry) => [
      `    - path:${yamlMappingValue(entry.path, { column: '    - path:'.length, indent: 6 })}`,
      '      hash: md5',
      `      md5: ${entry.md5}`,
      `      size: ${entry.size}`,
      ...(entry.nfiles === undefined ? [] : [`      nfiles: ${entry.nfiles}`]),
    ]);
}
