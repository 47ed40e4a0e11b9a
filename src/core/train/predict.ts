import type * as tf from '@tensorflow/tfjs';
import { createPacer } from '../dataset/pacer';
import type { ModelInputs } from './inputs';
import type { Example } from './types';

export interface PredictOptions {
  batchSize: number;
  signal?: AbortSignal;
}

/**
 * Runs the model (inference mode: no dropout, no updates) over `examples`
 * batch by batch and hands each batch's class probabilities, row-major
 * [batch, classes], to `onBatch`. Throws the signal's reason when it aborts;
 * disposes every tensor it makes either way.
 */
export async function predictInBatches(
  model: tf.LayersModel,
  inputs: ModelInputs,
  examples: readonly Example[],
  { batchSize, signal }: PredictOptions,
  onBatch: (batch: readonly Example[], probabilities: Float32Array) => void,
): Promise<void> {
  const pace = createPacer();
  for (let start = 0; start < examples.length; start += batchSize) {
    signal?.throwIfAborted();
    const batch = examples.slice(start, start + batchSize);
    const xs = inputs.batch(batch);
    try {
      const output = model.predict(xs) as tf.Tensor;
      try {
        onBatch(batch, (await output.data()) as Float32Array);
      } finally {
        output.dispose();
      }
    } finally {
      xs.dispose();
    }
    await pace();
  }
}

/** Index of the largest probability; the first on a tie, as TensorFlow's argmax. */
export function argMax(probabilities: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < probabilities.length; i++) if (probabilities[i]! > probabilities[best]!) best = i;
  return best;
}

/** Keras clips probabilities to [ε, 1 − ε] with ε = 1e-7 before the log, so a confident mistake costs 16.1, not ∞. */
const EPSILON = 1e-7;

/** Categorical cross-entropy of one example against its true class. */
export function crossEntropy(probabilities: ArrayLike<number>, label: number): number {
  return -Math.log(Math.min(1 - EPSILON, Math.max(EPSILON, probabilities[label]!)));
}
