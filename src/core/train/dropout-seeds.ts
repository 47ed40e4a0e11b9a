import type * as tf from '@tensorflow/tfjs';

/** The one field of tfjs' Dropout layer the training loop touches (private in its typings). */
export interface SeededDropout {
  seed?: number;
}

/**
 * tfjs' Dropout draws its mask with `randomUniform(…, seed)` on every call, so
 * a fixed seed drops the same units in every batch, and no seed is not
 * reproducible. The training loop therefore gives these layers a new seed from
 * the run's generator before each batch, and puts the built seeds back at the
 * end so the stored topology does not depend on the last batch.
 */
export function dropoutLayers(model: tf.LayersModel): SeededDropout[] {
  return model.layers.filter((layer) => layer.getClassName() === 'Dropout') as unknown as SeededDropout[];
}
