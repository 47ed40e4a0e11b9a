import * as tf from '@tensorflow/tfjs';
import type { ModelInputs } from '../train/inputs';

/**
 * Cached feature rows as model inputs: a batch is the rows of its images
 * stacked. Features are computed once per image, so there is nothing to
 * augment (paramsProblems refuses augmentation with pretrained features).
 */
export function featureInputs(rows: ReadonlyMap<string, Float32Array>, dims: number): ModelInputs {
  return {
    batch(examples, augment) {
      if (augment?.flip || augment?.shift) throw new Error('Cached features cannot be augmented: turn flip and shift off.');
      const values = new Float32Array(examples.length * dims);
      examples.forEach(({ sha256 }, i) => {
        const row = rows.get(sha256);
        if (!row) throw new Error(`Image ${sha256} has no cached features (it may have failed to decode).`);
        values.set(row, i * dims);
      });
      return tf.tensor2d(values, [examples.length, dims]);
    },
    has: (sha256) => rows.has(sha256),
  };
}
