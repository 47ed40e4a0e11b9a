import { FEATURE_SIZE_RANGE } from '../features/feature-set';
import type { SplitCounts } from './split';
import type { Augmentation } from './types';

/** The model choices: the reference convnet trained from scratch, or a dense head on a pretrained backbone's features. */
export const ARCHITECTURES = ['reference-convnet', 'pretrained-features'] as const;
export type Architecture = (typeof ARCHITECTURES)[number];

/** Everything that decides a training run besides the data: stored with the version, compared by the run-cache. */
export interface TrainParams {
  architecture: Architecture;
  /** Pretrained features only: the backbone's model id (absent for the convnet, so its params stay as they were). */
  backbone?: string;
  /** Pretrained features only: the backbone layer whose output, averaged over positions, is the features. */
  featureLayer?: string;
  /** The side images are resized to: the convnet's input, or for pretrained features what the backbone is fed. */
  imageSize: number;
  epochs: number;
  batchSize: number;
  learningRate: number;
  seed: number;
  augment: Augmentation;
  /** Fraction of each class held out for validation when the data has no validation folder. */
  holdout: number;
}

export const DEFAULT_PARAMS: TrainParams = {
  architecture: 'reference-convnet',
  imageSize: 64,
  epochs: 10,
  batchSize: 32,
  learningRate: 0.001,
  seed: 42,
  augment: { flip: false, shift: false },
  holdout: 0.2,
};

/**
 * The reference convnet's smallest input: with 'valid' padding each of its
 * three stages takes 2 pixels (3×3 conv) then halves (2×2 pool), and the last
 * stage needs 2×2 before pooling: 22 → 20 → 10 → 8 → 4 → 2 → 1.
 */
export const MIN_IMAGE_SIZE = 22;
/** Beyond this, the uint8 cache and per-batch tensors outgrow a browser tab (150 is the tutorial's). */
export const MAX_IMAGE_SIZE = 256;
const MAX_SEED = 0xffffffff;

const isWhole = (value: number, min: number, max = Number.MAX_SAFE_INTEGER) =>
  Number.isInteger(value) && value >= min && value <= max;

/** Why training cannot start with these parameters on this split, as sentences for the user; empty when it can. */
export function paramsProblems(params: TrainParams, counts: SplitCounts): string[] {
  const problems: string[] = [];
  const pretrained = params.architecture === 'pretrained-features';
  if (!(ARCHITECTURES as readonly string[]).includes(params.architecture)) {
    problems.push(`Unknown architecture "${String(params.architecture)}": choose ${ARCHITECTURES.join(' or ')}.`);
  }
  if (pretrained && !(params.backbone && params.featureLayer)) problems.push('Choose a backbone and its feature layer for pretrained features.');
  if (pretrained && (params.augment.flip || params.augment.shift)) {
    problems.push('Pretrained features are computed once per image, so they cannot be augmented: turn Horizontal flip and Small shift off.');
  }
  if (!isWhole(params.epochs, 1)) problems.push(`Epochs must be a whole number of at least 1 (got ${params.epochs}).`);
  if (!isWhole(params.batchSize, 1)) {
    problems.push(`Batch size must be a whole number of at least 1 (got ${params.batchSize}).`);
  } else if (counts.train > 0 && params.batchSize > counts.train) {
    problems.push(
      `Batch size ${params.batchSize} is larger than the ${counts.train} training images: use at most ${counts.train}.`,
    );
  }
  if (!(Number.isFinite(params.learningRate) && params.learningRate > 0)) {
    problems.push(`Learning rate must be a number greater than 0 (got ${params.learningRate}).`);
  }
  const [min, max] = pretrained ? FEATURE_SIZE_RANGE : [MIN_IMAGE_SIZE, MAX_IMAGE_SIZE];
  if (!isWhole(params.imageSize, min, max)) {
    problems.push(`Image size must be a whole number of pixels from ${min} to ${max}${pretrained ? ' for pretrained features' : ''} (got ${params.imageSize}).`);
  }
  if (!isWhole(params.seed, 0, MAX_SEED)) problems.push(`Seed must be a whole number from 0 to ${MAX_SEED} (got ${params.seed}).`);
  if (!(params.holdout > 0 && params.holdout < 1)) {
    problems.push(`The hold-out fraction must be between 0 and 1, e.g. 0.2 (got ${params.holdout}).`);
  }
  problems.push(...dataProblems(counts));
  return problems;
}

function dataProblems(counts: SplitCounts): string[] {
  if (counts.classes < 2) {
    return [`Training needs at least 2 classes; this data set has ${counts.classes}.`];
  }
  const problems: string[] = [];
  if (counts.smallestTrainClass < 2) {
    problems.push(
      `Every class needs at least 2 training images; the smallest has ${counts.smallestTrainClass}.`,
    );
  }
  if (counts.validation === 0) {
    problems.push(
      'No images are left for validation: add a validation folder, or more images per class so some can be held out.',
    );
  }
  return problems;
}
