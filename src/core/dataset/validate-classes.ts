import { splitName, type Finding, type ValidationEntry } from './finding';
import { countOf } from '../format/numbers';
import { groupBy } from './group-by';

/** Largest/smallest class count above which a split is called imbalanced. */
export const MAX_CLASS_RATIO = 3;
/** Fewer images than this in a class is too few to learn it. */
export const MIN_CLASS_IMAGES = 10;

type Labelled = ValidationEntry & { label: string };

function imbalance(inSplit: readonly Labelled[], classes: readonly string[]): Finding | null {
  const counts = classes.map((label) => ({ label, count: inSplit.filter((entry) => entry.label === label).length }));
  const largest = counts.reduce((a, b) => (b.count > a.count ? b : a));
  const smallest = counts.reduce((a, b) => (b.count < a.count ? b : a));
  const where = splitName(inSplit[0]!.split);
  if (smallest.count === 0) {
    return {
      kind: 'imbalance',
      severity: 'warning',
      message: `There are no images of class "${smallest.label}" in ${where}.`,
      paths: [],
      fix: null,
    };
  }
  const ratio = largest.count / smallest.count;
  if (ratio <= MAX_CLASS_RATIO) return null;
  return {
    kind: 'imbalance',
    severity: 'warning',
    message:
      `The classes in ${where} are imbalanced: "${largest.label}" has ${countOf(largest.count, 'image')}, ` +
      `"${smallest.label}" only ${smallest.count} (${ratio.toFixed(1)}:1, more than ${MAX_CLASS_RATIO}:1). ` +
      'The model may learn to favour the larger class.',
    paths: [],
    fix: null,
  };
}

function smallClass(label: string, members: readonly Labelled[]): Finding | null {
  if (members.length >= MIN_CLASS_IMAGES) return null;
  return {
    kind: 'small-class',
    severity: 'warning',
    message: `Class "${label}" has only ${countOf(members.length, 'image')}; at least ${MIN_CLASS_IMAGES} are needed to learn it.`,
    paths: members.map((entry) => entry.path).sort(),
    fix: null,
  };
}

/** Findings about the classes: imbalance per split, small classes, a single class. */
export function classFindings(entries: readonly ValidationEntry[]): Finding[] {
  const labelled = entries.filter((entry): entry is Labelled => entry.label !== null);
  const byClass = groupBy(labelled, (entry) => entry.label);
  const classes = [...byClass.keys()].sort();
  const findings: Finding[] = [];
  if (classes.length >= 2) {
    for (const inSplit of groupBy(labelled, (entry) => String(entry.split)).values()) {
      const finding = imbalance(inSplit, classes);
      if (finding) findings.push(finding);
    }
  }
  for (const label of classes) {
    const finding = smallClass(label, byClass.get(label)!);
    if (finding) findings.push(finding);
  }
  if (classes.length === 1) {
    findings.push({
      kind: 'single-class',
      severity: 'error',
      message: `Only one class ("${classes[0]}") was found; a classifier needs at least two. Add images of another class.`,
      paths: [],
      fix: null,
    });
  }
  return findings;
}
