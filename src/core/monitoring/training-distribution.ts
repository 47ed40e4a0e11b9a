import type { Dataset, Version } from '../objects/types';
import { DEFAULT_PARAMS } from '../train/params';
import { assignSplits, classNamesOf } from '../train/split';

/**
 * How many training images each of the model's classes had: the split the version trained on
 * (folders, or the seeded hold-out of its params), counted per class in `classNames` order.
 */
export function trainingDistribution(version: Version, dataset: Dataset, classNames: readonly string[]): number[] {
  const seed = typeof version.params['seed'] === 'number' ? version.params['seed'] : DEFAULT_PARAMS.seed;
  const holdout = typeof version.params['holdout'] === 'number' ? version.params['holdout'] : DEFAULT_PARAMS.holdout;
  const names = classNamesOf(dataset.entries);
  const counts = new Map<string, number>();
  for (const { label } of assignSplits(dataset.entries, { seed, holdout }).train) counts.set(names[label]!, (counts.get(names[label]!) ?? 0) + 1);
  return classNames.map((name) => counts.get(name) ?? 0);
}
