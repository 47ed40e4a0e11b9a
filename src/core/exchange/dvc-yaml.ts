import type { ProjectStage, StageOut } from './project-stages';

/**
 * dvc.yaml of the project's stages: per stage its cmd, deps, params, and its
 * outputs under `outs`, `metrics` or `plots` — those kept in git with
 * `cache: false`, so `dvc metrics diff` and `dvc plots diff` compare them
 * across commits. Written in DVC's own layout (2-space indent, "- " lists).
 */
export function dvcYaml(stages: readonly ProjectStage[]): string {
  const lines = ['stages:'];
  for (const stage of stages) {
    lines.push(`  ${stage.name}:`, `    cmd: ${stage.cmd}`, '    deps:', ...stage.deps.map((dep) => `    - ${dep}`));
    if (stage.params.length) lines.push('    params:', ...stage.params.map((key) => `    - ${key}`));
    for (const section of ['outs', 'metrics', 'plots'] as const) {
      const outs = stage.outs.filter((out) => out.section === section);
      if (outs.length) lines.push(`    ${section}:`, ...outs.flatMap(outLines));
    }
  }
  return lines.map((line) => `${line}\n`).join('');
}

function outLines(out: StageOut): string[] {
  if (out.cache !== false) return [`    - ${out.path}`];
  return [`    - ${out.path}:`, '        cache: false', ...(out.x === undefined ? [] : [`        x: ${out.x}`])];
}
