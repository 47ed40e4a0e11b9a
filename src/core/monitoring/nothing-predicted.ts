import { countOf } from '../format/numbers';
import type { MonitoringError } from '../objects/types';

/** How many unusable files the refusal names; the rest are counted. */
const NAMED = 3;

/**
 * Why a batch in which no image could be predicted is refused: a record without predictions has
 * no figure to show, so nothing is kept, and the person is told what was wrong with the files.
 */
export function nothingPredictedMessage(name: string, errors: readonly MonitoringError[]): string {
  if (errors.length === 0) return `${name} holds no image to predict, so no batch was kept.`;
  const named = errors.slice(0, NAMED).map((error) => `${error.name}: ${error.reason}`);
  if (errors.length > NAMED) named.push(`and ${countOf(errors.length - NAMED, 'more file')}`);
  return `No image in ${name} could be predicted, so no batch was kept. ${countOf(errors.length, 'file')} could not be used: ${named.join('; ')}.`;
}
