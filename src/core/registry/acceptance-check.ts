import type { AcceptanceCheck, Version } from '../objects/types';
import { acceptance, DEFAULT_RULE } from '../train/acceptance';

/** The version's rule (the default for one committed before rules were recorded), its figure and the verdict. */
export function checkAcceptance(version: Version): AcceptanceCheck & { message: string; recorded: boolean } {
  const rule = version.acceptance ?? DEFAULT_RULE;
  const value = version.metrics[rule.metric];
  const verdict = acceptance(value, rule);
  return { rule: { ...rule }, value: value !== undefined && Number.isFinite(value) ? value : null, pass: verdict.pass, message: verdict.message, recorded: version.acceptance !== undefined };
}
