/**
 * Names in the exported DVC project. train.py (train-py.ts) spells the same
 * names in Python: change them together.
 */
export const PROJECT = {
  /** The data set's folder, tracked by data.dvc (the tutorial's name, whatever the data set's root was called). */
  data: 'data',
  /** The browser's TensorFlow.js model, tracked by model.dvc. */
  model: 'model',
  /** The model's weights as Keras 3 saves them (the tutorial's file), tracked by model.weights.h5.dvc. */
  kerasWeights: 'model.weights.h5',
  /** What train.py writes: dvc.yaml's out. Not `model/`, which model.dvc already tracks (DVC refuses an output tracked twice). */
  torchModel: 'model.pt',
  params: 'params.yaml',
  metricsJson: 'metrics.json',
  metricsCsv: 'metrics.csv',
  trainScript: 'train.py',
  /** The validate stage: its script and its report (kept in git). */
  validateScript: 'validate.py',
  validation: 'validation.json',
  /** The evaluate stage: its script and its metric (kept in git). */
  evaluateScript: 'evaluate.py',
  evaluation: 'evaluation.json',
  /** Pretrained features: the page's features (tracked by bottleneck.dvc), the stage that writes them per split, and its output. */
  bottleneck: 'bottleneck',
  featuresScript: 'features.py',
  features: 'features',
} as const;
