import type { Finding, ValidationEntry } from './finding';
import { classFindings } from './validate-classes';
import { contentFindings } from './validate-content';
import { sizeFindings } from './validate-sizes';

function undecodable(entry: ValidationEntry): Finding {
  return {
    kind: 'undecodable',
    severity: 'warning',
    message: `"${entry.path}" could not be decoded (${entry.decodeError}); it is left out of training.`,
    paths: [entry.path],
    fix: 'exclude',
  };
}

/**
 * The data validation report. Undecodable images are reported and then left
 * out of every other check, as they are left out of training. Findings come
 * in kind order: undecodable, label-conflict, leakage, duplicate, imbalance,
 * small-class, single-class, size-spread.
 */
export function validationReport(entries: readonly ValidationEntry[]): Finding[] {
  const usable = entries.filter((entry) => entry.decodeError === undefined);
  return [
    ...entries.filter((entry) => entry.decodeError !== undefined).map(undecodable),
    ...contentFindings(usable),
    ...classFindings(usable),
    ...sizeFindings(usable),
  ];
}
