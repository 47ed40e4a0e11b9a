import type { AcceptanceRule } from '../objects/types';

export type { AcceptanceRule };

/** The rule a new page starts with, and the one a version committed before rules were recorded is judged by. */
export const DEFAULT_RULE: AcceptanceRule = { metric: 'val_accuracy', op: '>=', threshold: 0.8 };

export interface AcceptanceResult {
  pass: boolean;
  /** One sentence for the user, e.g. "Passed: val_accuracy is 0.8542, at least 0.8 as required." */
  message: string;
}

/** Judges a metric against the user's rule, e.g. val_accuracy ≥ 0.80; a missing or non-finite value fails. */
export function acceptance(metricValue: number | undefined, rule: AcceptanceRule): AcceptanceResult {
  const { metric, op, threshold } = rule;
  if (metricValue === undefined || !Number.isFinite(metricValue)) {
    return { pass: false, message: `Failed: ${metric} has no value (got ${metricValue}), so it cannot meet ${op} ${threshold}.` };
  }
  const meets = (value: number) => (op === '>=' ? value >= threshold : value <= threshold);
  const pass = meets(metricValue);
  // Four decimals read well, unless rounding would seem to contradict the verdict (0.79996 vs 0.8).
  const rounded = Number(metricValue.toFixed(4));
  const shown = meets(rounded) === pass ? rounded : metricValue;
  const bound = op === '>=' ? 'at least' : 'at most';
  const message = pass
    ? `Passed: ${metric} is ${shown}, ${bound} ${threshold} as required.`
    : `Failed: ${metric} is ${shown}, but the rule asks for ${bound} ${threshold}.`;
  return { pass, message };
}
