import type * as tf from '@tensorflow/tfjs';
import type { ModelInputs } from './inputs';
import { argMax, crossEntropy, predictInBatches, type PredictOptions } from './predict';
import type { Example } from './types';

export interface Scores {
  loss: number;
  accuracy: number;
}

/** Mean loss and accuracy over `examples` without training: the val_loss and val_accuracy of an epoch. */
export async function scoreExamples(
  model: tf.LayersModel,
  inputs: ModelInputs,
  examples: readonly Example[],
  classes: number,
  options: PredictOptions,
): Promise<Scores> {
  let lossSum = 0;
  let correct = 0;
  await predictInBatches(model, inputs, examples, options, (batch, probabilities) => {
    for (const [i, { label }] of batch.entries()) {
      const row = probabilities.subarray(i * classes, (i + 1) * classes);
      lossSum += crossEntropy(row, label);
      if (argMax(row) === label) correct += 1;
    }
  });
  return { loss: lossSum / examples.length, accuracy: correct / examples.length };
}
