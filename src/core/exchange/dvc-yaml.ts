import { PROJECT } from './layout';

/**
 * dvc.yaml with one `train` stage: `python train.py` on data/ and params.yaml,
 * writing the PyTorch model (cached by DVC) and the metrics files (kept in git,
 * `cache: false`, so `dvc metrics diff` and `dvc plots diff` compare them
 * across commits). Written in DVC's own layout (2-space indent, "- " lists).
 */
export function dvcYaml(paramKeys: readonly string[]): string {
  const lines = [
    'stages:',
    '  train:',
    `    cmd: python ${PROJECT.trainScript}`,
    '    deps:',
    `    - ${PROJECT.data}`,
    `    - ${PROJECT.trainScript}`,
    '    params:',
    ...paramKeys.map((key) => `    - ${key}`),
    '    outs:',
    `    - ${PROJECT.torchModel}`,
    '    metrics:',
    `    - ${PROJECT.metricsJson}:`,
    '        cache: false',
    '    plots:',
    `    - ${PROJECT.metricsCsv}:`,
    '        cache: false',
    '        x: epoch',
  ];
  return lines.map((line) => `${line}\n`).join('');
}
