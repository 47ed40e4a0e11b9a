import type * as tf from '@tensorflow/tfjs';
import type { ModelInputs } from './inputs';
import { argMax, predictInBatches } from './predict';
import type { Example } from './types';

export interface ClassScores {
  /** Of the images predicted as this class, the share that are; 0 when none is predicted (as scikit-learn). */
  precision: number;
  /** Of the images of this class, the share predicted as it; 0 when the class has none. */
  recall: number;
  /** One-vs-rest: the share of all images rightly called this class or rightly not. */
  accuracy: number;
  /** Images of this class. */
  support: number;
}

export interface Mistake {
  sha256: string;
  trueLabel: number;
  predicted: number;
  /** The probability the model gave its (wrong) prediction. */
  confidence: number;
}

export interface Evaluation {
  /** confusion[true][predicted] = number of images. */
  confusion: number[][];
  perClass: ClassScores[];
  accuracy: number;
  /** The most confident mistakes first (ties by sha256, so the list is stable), at most WORST_COUNT. */
  worst: Mistake[];
}

export const WORST_COUNT = 12;

/** Confusion matrix, per-class scores and the worst mistakes of `model` on `examples`, computed batch by batch. */
export async function evaluateModel(
  model: tf.LayersModel,
  inputs: ModelInputs,
  examples: readonly Example[],
  classes: number,
  options: { batchSize: number; signal?: AbortSignal },
): Promise<Evaluation> {
  const confusion = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  const mistakes: Mistake[] = [];
  await predictInBatches(model, inputs, examples, options, (batch, probabilities) => {
    for (const [i, { sha256, label }] of batch.entries()) {
      const row = probabilities.subarray(i * classes, (i + 1) * classes);
      const predicted = argMax(row);
      confusion[label]![predicted]! += 1;
      if (predicted !== label) mistakes.push({ sha256, trueLabel: label, predicted, confidence: row[predicted]! });
    }
  });
  mistakes.sort((a, b) => b.confidence - a.confidence || (a.sha256 < b.sha256 ? -1 : a.sha256 > b.sha256 ? 1 : 0));
  const correct = confusion.reduce((sum, row, c) => sum + row[c]!, 0);
  return {
    confusion,
    perClass: confusion.map((_, c) => classScores(confusion, c, examples.length)),
    accuracy: examples.length > 0 ? correct / examples.length : 0,
    worst: mistakes.slice(0, WORST_COUNT),
  };
}

function classScores(confusion: readonly number[][], c: number, total: number): ClassScores {
  const truePositives = confusion[c]![c]!;
  const support = confusion[c]!.reduce((sum, n) => sum + n, 0);
  const predicted = confusion.reduce((sum, row) => sum + row[c]!, 0);
  const trueNegatives = total - support - predicted + truePositives;
  return {
    precision: predicted > 0 ? truePositives / predicted : 0,
    recall: support > 0 ? truePositives / support : 0,
    accuracy: total > 0 ? (truePositives + trueNegatives) / total : 0,
    support,
  };
}
