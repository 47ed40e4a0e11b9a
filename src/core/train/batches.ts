import * as tf from '@tensorflow/tfjs';
import type { PixelCache } from '../preprocess/pixels';
import { augmentImage } from './augment';
import type { ModelInputs } from './inputs';
import { shuffled } from './random';
import type { Augmentation, Example, Random } from './types';

export const NO_AUGMENTATION: Augmentation = { flip: false, shift: false };

/** Where each image sits in the cache: sha256 → row of `pixels`. */
export function pixelRows(cache: PixelCache): Map<string, number> {
  return new Map(cache.sha256.map((sha256, row) => [sha256, row]));
}

/**
 * The images of one batch as float32 [b, size, size, 3] in [0, 1]. Only this
 * batch is converted: the cache stays uint8 (the whole set as float32 would be
 * 4× larger). Augmentation works on the uint8 copy, before upload.
 */
export function batchImages(
  cache: PixelCache,
  rows: ReadonlyMap<string, number>,
  examples: readonly Example[],
  augment: Augmentation = NO_AUGMENTATION,
  random?: Random,
): tf.Tensor4D {
  const { size } = cache;
  const imageBytes = size * size * 3;
  const pixels = new Uint8Array(examples.length * imageBytes);
  const augmenting = augment.flip || augment.shift;
  if (augmenting && !random) throw new Error('Augmentation needs a seeded random generator.');
  for (const [i, { sha256 }] of examples.entries()) {
    const row = rows.get(sha256);
    if (row === undefined) throw new Error(`Image ${sha256} is not in the pixel cache (it may have failed to decode).`);
    const source = cache.pixels.subarray(row * imageBytes, (row + 1) * imageBytes);
    const target = pixels.subarray(i * imageBytes, (i + 1) * imageBytes);
    if (augmenting) augmentImage(source, target, size, augment, random!);
    else target.set(source);
  }
  const scaled = new Float32Array(pixels.length);
  for (let i = 0; i < pixels.length; i++) scaled[i] = pixels[i]! / 255;
  return tf.tensor4d(scaled, [examples.length, size, size, 3]);
}

/** One-hot float32 labels [b, classes], what categorical cross-entropy expects. */
export function batchLabels(examples: readonly Example[], classes: number): tf.Tensor2D {
  const oneHot = new Float32Array(examples.length * classes);
  for (const [i, { label }] of examples.entries()) {
    if (!(Number.isInteger(label) && label >= 0 && label < classes)) throw new RangeError(`Label ${label} is not one of the ${classes} classes.`);
    oneHot[i * classes + label] = 1;
  }
  return tf.tensor2d(oneHot, [examples.length, classes]);
}

/** A type alias, not an interface, so tf.tidy accepts it as a TensorContainer. */
export type Batch = {
  xs: tf.Tensor;
  ys: tf.Tensor2D;
};

/** Inputs and one-hot labels of one batch; if either fails, neither tensor is left behind. */
export function makeBatch(
  inputs: ModelInputs,
  examples: readonly Example[],
  classes: number,
  augment: Augmentation = NO_AUGMENTATION,
  random?: Random,
): Batch {
  return tf.tidy(() => ({ xs: inputs.batch(examples, augment, random), ys: batchLabels(examples, classes) }));
}

/** One epoch's batches: a fresh seeded order, cut into batches of `batchSize` (the last may be smaller, as in Keras). */
export function epochBatches<T>(examples: readonly T[], batchSize: number, random: Random): T[][] {
  const order = shuffled(examples, random);
  const batches: T[][] = [];
  for (let start = 0; start < order.length; start += batchSize) batches.push(order.slice(start, start + batchSize));
  return batches;
}
