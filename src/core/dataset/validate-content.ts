import type { Finding, ValidationEntry } from './finding';
import { countOf } from '../format/numbers';
import { listPaths } from './wording';
import { groupBy } from './group-by';

function sortedPaths(entries: readonly ValidationEntry[]): string[] {
  return entries.map((entry) => entry.path).sort();
}

function labelConflict(copies: readonly ValidationEntry[]): Finding | null {
  const labels = [...new Set(copies.flatMap((copy) => (copy.label === null ? [] : [copy.label])))].sort();
  if (labels.length < 2) return null;
  const paths = sortedPaths(copies);
  return {
    kind: 'label-conflict',
    severity: 'error',
    message:
      `The same image is labelled ${labels.map((label) => `"${label}"`).join(' and ')}: ${listPaths(paths)}. ` +
      'Training on contradictory labels confuses the model; exclude these copies (or keep only the correctly labelled one).',
    paths,
    fix: 'exclude',
  };
}

function leakage(copies: readonly ValidationEntry[]): Finding | null {
  const inTrain = copies.filter((copy) => copy.split === 'train');
  const heldOut = copies.filter((copy) => copy.split === 'validation' || copy.split === 'test');
  if (inTrain.length === 0 || heldOut.length === 0) return null;
  const paths = sortedPaths(heldOut);
  const splits = [...new Set(heldOut.map((copy) => copy.split))].join(' and ');
  return {
    kind: 'leakage',
    severity: 'warning',
    message:
      `The same image is in train (${listPaths(sortedPaths(inTrain))}) and in ${splits} (${listPaths(paths)}), ` +
      `so ${splits} scores will look better than they are. Exclude the ${splits} ${paths.length === 1 ? 'copy' : 'copies'}.`,
    paths,
    fix: 'exclude',
  };
}

// Copies in the same class and split; copies across splits are leakage instead.
function duplicates(copies: readonly ValidationEntry[]): Finding[] {
  const byClass = groupBy(copies, (copy) => JSON.stringify([copy.label, copy.split]));
  return [...byClass.values()].flatMap((same): Finding[] => {
    if (same.length < 2) return [];
    const [kept, ...extra] = sortedPaths(same);
    const label = same[0]!.label;
    return [
      {
        kind: 'duplicate',
        severity: 'info',
        message:
          `${listPaths(extra)} ${extra.length === 1 ? 'is an exact copy' : `are ${countOf(extra.length, 'exact copy', 'exact copies')}`} of "${kept}"` +
          `${label === null ? '' : ` in class "${label}"`}. Excluding the copies keeps one.`,
        paths: extra,
        fix: 'exclude',
      },
    ];
  });
}

/** Findings about identical content (same sha256): label conflicts, leakage, duplicates. */
export function contentFindings(entries: readonly ValidationEntry[]): Finding[] {
  const conflicts: Finding[] = [];
  const leaks: Finding[] = [];
  const copies: Finding[] = [];
  for (const group of groupBy(entries, (entry) => entry.sha256).values()) {
    if (group.length < 2) continue;
    const conflict = labelConflict(group);
    if (conflict) conflicts.push(conflict);
    const leak = leakage(group);
    if (leak) leaks.push(leak);
    copies.push(...duplicates(group));
  }
  return [...conflicts, ...leaks, ...copies];
}
