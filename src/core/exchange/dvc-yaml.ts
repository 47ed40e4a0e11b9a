import { PROJECT } from './layout';

/**
 * dvc.yaml with a `train` stage (after a `features` stage for pretrained
 * features): `python train.py` on data/ (or features/) and params.yaml,
 * writing the PyTorch model (cached by DVC) and the metrics files (kept in git,
 * `cache: false`, so `dvc metrics diff` and `dvc plots diff` compare them
 * across commits). Written in DVC's own layout (2-space indent, "- " lists).
 */
export function dvcYaml(paramKeys: readonly string[], pretrained = false): string {
  const lines = [
    'stages:',
    // The tutorial's two steps: bottleneck features per split (from the page's), then the head on them.
    ...(pretrained
      ? [
          '  features:',
          `    cmd: python ${PROJECT.featuresScript}`,
          '    deps:',
          `    - ${PROJECT.bottleneck}`,
          `    - ${PROJECT.data}`,
          `    - ${PROJECT.featuresScript}`,
          '    params:',
          '    - train.holdout',
          '    - train.seed',
          '    outs:',
          `    - ${PROJECT.features}`,
        ]
      : []),
    '  train:',
    `    cmd: python ${PROJECT.trainScript}`,
    '    deps:',
    `    - ${pretrained ? PROJECT.features : PROJECT.data}`,
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
