import type { Version } from '../objects/types';

/** A confusion matrix with its class names: `matrix[true][predicted]` = images. */
export interface Confusion {
  names: string[];
  matrix: number[][];
}

/**
 * The confusion matrix the run recorded (`run.evaluation.confusion`, named by
 * `run.classNames`), or null for a version without one. `run` is free-form in
 * the store, so its shape is checked rather than trusted.
 */
export function confusionOf(version: Version): Confusion | null {
  const run = version.run;
  const evaluation = run?.['evaluation'];
  const matrix = isRecord(evaluation) ? evaluation['confusion'] : undefined;
  const names = run?.['classNames'];
  if (!Array.isArray(names) || !names.every((name) => typeof name === 'string')) return null;
  if (!Array.isArray(matrix) || matrix.length !== names.length) return null;
  const square = matrix.every(
    (row): row is number[] => Array.isArray(row) && row.length === names.length && row.every((n) => typeof n === 'number'),
  );
  return square ? { names: names as string[], matrix: matrix as number[][] } : null;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
