import type * as tf from '@tensorflow/tfjs';
import type { PixelCache } from '../preprocess/pixels';
import { NO_AUGMENTATION, batchImages, pixelRows } from './batches';
import type { Augmentation, Example, Random } from './types';

/**
 * Where a model's input rows come from, keyed by image sha256: decoded pixels
 * (the convnet) or cached bottleneck features (a pretrained backbone's head).
 * The training loop, validation and evaluation only ask for batches, so one
 * loop trains both.
 */
export interface ModelInputs {
  /** The inputs of `examples`, batch first, as one float32 tensor; augmented when asked (if these inputs can be). */
  batch(examples: readonly Example[], augment?: Augmentation, random?: Random): tf.Tensor;
  /** Whether an image has a row (it decoded, or its features were computed). */
  has(sha256: string): boolean;
}

/** The pixel cache as model inputs: images scaled to [0, 1], augmented per batch. */
export function pixelInputs(cache: PixelCache): ModelInputs {
  const rows = pixelRows(cache);
  return {
    batch: (examples, augment = NO_AUGMENTATION, random) => batchImages(cache, rows, examples, augment, random),
    has: (sha256) => rows.has(sha256),
  };
}
