import { PROJECT } from './layout';

/** An output of a stage: cached by DVC (`outs`), or kept in git (`cache: false`) as a plain out, a metric or a plot. */
export interface StageOut {
  path: string;
  section: 'outs' | 'metrics' | 'plots';
  /** Kept in git rather than DVC's cache: small JSON/CSV that `dvc metrics diff` and `dvc plots diff` compare across commits. */
  cache?: false;
  /** A plot's x column. */
  x?: string;
}

export interface ProjectStage {
  name: string;
  cmd: string;
  deps: readonly string[];
  /** params.yaml keys the stage reads, dotted. */
  params: readonly string[];
  outs: readonly StageOut[];
}

/**
 * The exported project's pipeline, once: dvc.yaml prints it and dvc.lock
 * records the page's run of it. The page's stages: import is data.dvc (`dvc
 * add data`, no stage); validate; preprocess is the `features` stage of a
 * head on pretrained features (the tutorial's first step: the rows per split
 * for train.py), while the convnet's decoding and resizing stay inside
 * train.py, as its pixel cache is inside the page's training; train;
 * evaluate.
 */
export function projectStages(paramKeys: readonly string[], pretrained: boolean): ProjectStage[] {
  const validate: ProjectStage = {
    name: 'validate',
    cmd: `python ${PROJECT.validateScript}`,
    deps: [PROJECT.data, PROJECT.validateScript],
    params: [],
    outs: [{ path: PROJECT.validation, section: 'outs', cache: false }],
  };
  const features: ProjectStage = {
    name: 'features',
    cmd: `python ${PROJECT.featuresScript}`,
    deps: [PROJECT.bottleneck, PROJECT.data, PROJECT.featuresScript],
    params: ['train.holdout', 'train.seed'],
    outs: [{ path: PROJECT.features, section: 'outs' }],
  };
  const train: ProjectStage = {
    name: 'train',
    cmd: `python ${PROJECT.trainScript}`,
    deps: [pretrained ? PROJECT.features : PROJECT.data, PROJECT.trainScript],
    params: paramKeys,
    outs: [
      { path: PROJECT.torchModel, section: 'outs' },
      { path: PROJECT.metricsJson, section: 'metrics', cache: false },
      { path: PROJECT.metricsCsv, section: 'plots', cache: false, x: 'epoch' },
    ],
  };
  // evaluate.py takes the model and the data code from train.py; the convnet's split from params.yaml.
  const evaluate: ProjectStage = {
    name: 'evaluate',
    cmd: `python ${PROJECT.evaluateScript}`,
    deps: [pretrained ? PROJECT.features : PROJECT.data, PROJECT.evaluateScript, PROJECT.torchModel, PROJECT.trainScript],
    params: pretrained ? [] : ['train.holdout', 'train.seed'],
    outs: [{ path: PROJECT.evaluation, section: 'metrics', cache: false }],
  };
  return pretrained ? [validate, features, train, evaluate] : [validate, train, evaluate];
}
