import type { Dataset, DvcDirInfo, ModelRecord, Version } from '../objects/types';
import { appVersionOf } from './app-version';

/** What metadata.json says it is, so an import can refuse other files and versions it does not know. */
export const METADATA_FORMAT = 'pawprint-model-metadata';
export const METADATA_SCHEMA = 1;

/** metadata.json: what a program needs to feed the model and read its output, and where the model came from. */
export interface ModelMetadata {
  format: typeof METADATA_FORMAT;
  schema: typeof METADATA_SCHEMA;
  /** Class names, in the order of the model's outputs. */
  labels: string[];
  imageSize: number;
  /** One image: [height, width, channels]; a batch is [n, ...inputShape], float32. */
  inputShape: number[];
  normalization: string;
  output: string;
  architecture: string;
  version: { id: string; message: string; createdAt: string };
  dataset: { id: string; dvc: DvcDirInfo };
  metrics: Record<string, number>;
  params: Record<string, unknown>;
  appVersion: string | null;
  /** weights.bin as exported, so an import can tell a damaged or swapped file. */
  weights: { sha256: string; size: number };
}

export interface ModelSource {
  versionId: string;
  version: Version;
  model: ModelRecord;
  dataset: Dataset;
}

export function modelMetadata({ versionId, version, model, dataset }: ModelSource): ModelMetadata {
  const [imageSize] = model.inputShape as [number];
  return {
    format: METADATA_FORMAT,
    schema: METADATA_SCHEMA,
    labels: [...model.classNames],
    imageSize,
    inputShape: [...model.inputShape],
    // As src/workers/lib/decode-image.ts prepares images for training and classifying.
    normalization: `RGB, [0,1], resized to ${imageSize}×${imageSize} by squashing, transparent pixels over white`,
    output: 'softmax probabilities, one per label, in the order of labels',
    architecture: model.architecture,
    version: { id: versionId, message: version.message, createdAt: version.createdAt },
    dataset: { id: version.dataset, dvc: { ...dataset.dvc } },
    metrics: { ...version.metrics },
    params: version.params,
    appVersion: appVersionOf(version),
    weights: { sha256: model.weights, size: model.weightsSize },
  };
}
