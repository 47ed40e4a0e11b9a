import { DEFAULT_PARAMS, type TrainParams } from '../train/params';
import type { YamlLeaf } from './yaml-mapping';

/**
 * The training parameters as params.yaml holds them: under `train:`, in
 * snake_case as Python names things, augmentation nested under `augment:`.
 * train.py reads exactly these keys and dvc.yaml tracks each of them. A
 * data-only version records no parameters: the app's defaults fill in, so
 * `dvc repro` trains as the page would by default.
 */
export function paramsLeaves(recorded: Readonly<Record<string, unknown>>): YamlLeaf[] {
  const params = { ...DEFAULT_PARAMS, ...recorded } as TrainParams;
  const augment = { ...DEFAULT_PARAMS.augment, ...params.augment };
  return [
    { key: 'train.architecture', value: params.architecture },
    { key: 'train.image_size', value: params.imageSize },
    { key: 'train.epochs', value: params.epochs },
    { key: 'train.batch_size', value: params.batchSize },
    { key: 'train.learning_rate', value: params.learningRate, float: true },
    { key: 'train.seed', value: params.seed },
    { key: 'train.holdout', value: params.holdout, float: true },
    { key: 'train.augment.flip', value: augment.flip },
    { key: 'train.augment.shift', value: augment.shift },
    ...(params.backbone && params.featureLayer
      ? [
          { key: 'train.backbone', value: params.backbone },
          { key: 'train.feature_layer', value: params.featureLayer },
        ]
      : []),
  ];
}
