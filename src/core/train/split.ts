import { groupBy } from '../dataset/group-by';
import { compareCodePoints } from '../hash/compare-code-points';
import type { DatasetEntry } from '../objects/types';
import { STREAMS, shuffled, streamOf } from './random';
import type { Example, Random } from './types';

export interface SplitOptions {
  seed: number;
  /** Fraction of each class held out for validation when the data has no validation folder. */
  holdout: number;
}

export interface Splits {
  train: Example[];
  validation: Example[];
  /** Never trained on nor used for early decisions: kept for a final evaluation. */
  test: Example[];
  /** True when the validation images were drawn from the training images by the seeded hold-out. */
  heldOut: boolean;
}

/** The model's classes: distinct labels in code-point order, so class indices match Python's `sorted`. */
export function classNamesOf(entries: readonly Pick<DatasetEntry, 'label'>[]): string[] {
  return [...new Set(entries.map((entry) => entry.label))].sort(compareCodePoints);
}

/**
 * Splits the data set for training. Folders decide first (`train/`,
 * `validation/`, `test/`). Without any validation folder, the images of
 * `train/` and those outside any split folder form one pool from which a
 * seeded, stratified hold-out is drawn: `holdout` of each class, at least one
 * image when the class has two or more, never its last one. An image stored
 * under several paths is held out (or not) as a whole, so it cannot sit on both
 * sides. With a validation folder, unsplit images simply train.
 */
export function assignSplits(entries: readonly DatasetEntry[], { seed, holdout }: SplitOptions): Splits {
  const classIndex = new Map(classNamesOf(entries).map((name, index) => [name, index]));
  const example = (entry: DatasetEntry): Example => ({ sha256: entry.sha256, label: classIndex.get(entry.label)! });
  const hasValidationFolder = entries.some((entry) => entry.split === 'validation');
  const pool = entries.filter((entry) => entry.split === 'train' || entry.split === null);
  const held = hasValidationFolder ? new Set<string>() : heldOutImages(pool, holdout, streamOf(seed, STREAMS.split));

  const splits: Splits = { train: [], validation: [], test: [], heldOut: held.size > 0 };
  for (const entry of entries) {
    if (entry.split === 'test') splits.test.push(example(entry));
    else if (entry.split === 'validation' || held.has(entry.sha256)) splits.validation.push(example(entry));
    else splits.train.push(example(entry));
  }
  return splits;
}

/** How many of a class's `n` distinct images go to validation. */
export function holdOutCount(n: number, fraction: number): number {
  if (!(fraction > 0 && fraction < 1) || n < 2) return 0;
  return Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
}

function heldOutImages(pool: readonly DatasetEntry[], fraction: number, random: Random): Set<string> {
  const held = new Set<string>();
  const byClass = [...groupBy(pool, (entry) => entry.label).entries()].sort(([a], [b]) => compareCodePoints(a, b));
  for (const [, members] of byClass) {
    const images = [...new Set(members.map((entry) => entry.sha256))];
    for (const sha256 of shuffled(images, random).slice(0, holdOutCount(images.length, fraction))) held.add(sha256);
  }
  return held;
}

/** The numbers `paramsProblems` judges a split by. */
export interface SplitCounts {
  train: number;
  validation: number;
  classes: number;
  /** Training images of the class that has the fewest (0 when a class has none). */
  smallestTrainClass: number;
}

export function splitCounts(splits: Pick<Splits, 'train' | 'validation'>, classes: number): SplitCounts {
  const perClass = new Array<number>(classes).fill(0);
  for (const { label } of splits.train) perClass[label] = (perClass[label] ?? 0) + 1;
  return {
    train: splits.train.length,
    validation: splits.validation.length,
    classes,
    smallestTrainClass: classes > 0 ? Math.min(...perClass) : 0,
  };
}
