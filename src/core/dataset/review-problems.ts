import { countOf } from '../format/numbers';
import { labelProblem } from './edit';
import { visibleText } from './invisible-characters';
import type { LabelDecisions } from './ingest';
import { lookalikeDifference, lookalikeGroups } from './lookalike-names';

/** A class of a drop as the review lists it: its inferred label (null: files without a class folder) and file count. */
export interface ReviewClass {
  label: string | null;
  total: number;
}

/** The class a row of the review ends up as, once the user's decisions apply ('' while a loose class is not given). */
export function effectiveLabel(label: string | null, decisions: LabelDecisions): string {
  if (label === null) return decisions.looseLabel?.trim() ?? '';
  return decisions.renames?.get(label)?.trim() || label;
}

/**
 * What stops the import from going on with these decisions, in sentences a
 * person can act on (empty: it can go on): files without a class, and class
 * names that cannot be folder names, whether typed or taken from a folder of
 * the drop (a folder named with U+202E must be renamed first).
 */
export function reviewProblems(classes: readonly ReviewClass[], decisions: LabelDecisions): string[] {
  const problems: string[] = [];
  for (const { label, total } of classes) {
    const name = effectiveLabel(label, decisions);
    if (label === null && name === '') {
      problems.push(`${countOf(total, 'file')} ${total === 1 ? 'has' : 'have'} no class folder: type their class in “Class for ${countOf(total, 'loose file')}”.`);
      continue;
    }
    const problem = labelProblem(name);
    if (!problem) continue;
    const typed = label === null || name !== label;
    problems.push(typed ? `“${visibleText(name)}”: ${problem}` : `The folder “${visibleText(label)}” cannot be a class as it is: ${problem} Rename it here.`);
  }
  return problems;
}

/**
 * A problem of the review found by the worker, which has every file of the drop (the page has
 * its classes only): the review stays open with it, as with reviewProblems.
 */
export class ReviewProblemError extends Error {
  override name = 'ReviewProblemError';
}

/**
 * A rename or merge in the review that would put two files of the drop at one path: one of them
 * would be lost (a data set holds one file per path). Named with the first such path; null when
 * every file keeps a path of its own.
 */
export function collidingPlacements(files: readonly { relpath: string; label: string | null; placed: { relpath: string; label: string } }[]): string | null {
  const at = new Map<string, (typeof files)[number]>();
  const clashes: [(typeof files)[number], (typeof files)[number]][] = [];
  for (const file of files) {
    const other = at.get(file.placed.relpath);
    if (other && (other.relpath !== other.placed.relpath || file.relpath !== file.placed.relpath)) clashes.push([other, file]);
    else at.set(file.placed.relpath, file);
  }
  if (clashes.length === 0) return null;
  const [first, second] = clashes[0]!;
  const moved = first.relpath !== first.placed.relpath ? first : second;
  const more = clashes.length > 1 ? ` (and ${countOf(clashes.length - 1, 'more path')})` : '';
  return (
    `Giving “${visibleText(moved.label ?? '')}” the class “${visibleText(moved.placed.label)}” would put two files at ${visibleText(first.placed.relpath)}${more}, and one would be lost. ` +
    `Give “${visibleText(moved.label ?? '')}” a name of its own here, or rename its files before dropping them.`
  );
}

/** Classes of a drop whose names differ from another class's only in case or Unicode normalisation. */
export interface LookalikeClasses {
  /** The names, as they would be stored (drop classes after renames, and workspace classes). */
  names: string[];
  /** Those of `names` that are classes of the data set already. */
  existing: string[];
  message: string;
}

/**
 * Lookalike class names this drop would bring: among its own classes or
 * against the data set's. On macOS and Windows their folders are one folder.
 */
export function lookalikeClasses(dropLabels: readonly string[], workspaceLabels: readonly string[]): LookalikeClasses[] {
  const existing = new Set(workspaceLabels);
  const drop = new Set(dropLabels.filter((label) => label !== ''));
  return lookalikeGroups([...workspaceLabels, ...drop])
    .filter((names) => names.some((name) => drop.has(name)))
    .map((names) => {
      const quoted = names.map((name) => `“${visibleText(name)}”`);
      const listed = `${quoted.slice(0, -1).join(', ')} and ${quoted.at(-1)}`;
      const already = names.filter((name) => existing.has(name));
      return {
        names,
        existing: already,
        message:
          `${listed} ${lookalikeDifference(names)}${already.length > 0 ? ` (${already.map((name) => `“${visibleText(name)}”`).join(', ')} is in the data set already)` : ''}: ` +
          'on macOS and Windows their folders are one folder. Merge them, or rename one.',
      };
    });
}
