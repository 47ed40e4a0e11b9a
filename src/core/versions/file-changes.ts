import type { EntryChanges } from '../dataset/changes';
import { countOf } from '../format/numbers';
import { compareCodePoints } from '../hash/compare-code-points';
import { SPLITS, type DatasetEntry, type Split } from '../objects/types';

/** Files added, removed and modified in one class of one split (`split` null: no split folder). */
export interface ClassChanges {
  split: Split | null;
  label: string;
  added: number;
  removed: number;
  modified: number;
  /** Counted in the class and split the files moved to. */
  relabelled: number;
}

/** `dvc diff` of two data sets, as counts: in total and per split and class. */
export interface FileChanges {
  added: number;
  removed: number;
  modified: number;
  relabelled: number;
  /** Only classes with a change, by split (train, validation, test, none) then label. */
  byClass: ClassChanges[];
}

type ChangeKind = 'added' | 'removed' | 'modified' | 'relabelled';

export function summarizeFileChanges(changes: EntryChanges): FileChanges {
  const byClass = new Map<string, ClassChanges>();
  const count = (entry: DatasetEntry, kind: ChangeKind) => {
    const key = `${entry.split}\u0000${entry.label}`;
    const row = byClass.get(key) ?? { split: entry.split, label: entry.label, added: 0, removed: 0, modified: 0, relabelled: 0 };
    row[kind] += 1;
    byClass.set(key, row);
  };
  changes.added.forEach((entry) => count(entry, 'added'));
  changes.removed.forEach((entry) => count(entry, 'removed'));
  changes.modified.forEach(({ after }) => count(after, 'modified'));
  changes.relabelled.forEach(({ after }) => count(after, 'relabelled'));
  return {
    added: changes.added.length,
    removed: changes.removed.length,
    modified: changes.modified.length,
    relabelled: changes.relabelled.length,
    byClass: [...byClass.values()].sort((a, b) => splitRank(a.split) - splitRank(b.split) || compareCodePoints(a.label, b.label)),
  };
}

const splitRank = (split: Split | null) => (split === null ? SPLITS.length : SPLITS.indexOf(split));

/** Classes named in a change line before "and N more". */
const CLASSES_SHOWN = 3;

/** "+1 000 files in train/cats, train/dogs, −3 files in validation/cats", or null when nothing changed. */
export function describeFileChanges(changes: FileChanges): string | null {
  const parts = [
    changes.added > 0 && `+${countOf(changes.added, 'file')} in ${classesWith(changes, 'added')}`,
    changes.removed > 0 && `−${countOf(changes.removed, 'file')} in ${classesWith(changes, 'removed')}`,
    changes.modified > 0 && `${countOf(changes.modified, 'file')} changed in ${classesWith(changes, 'modified')}`,
    changes.relabelled > 0 && `${countOf(changes.relabelled, 'file')} relabelled to ${classesWith(changes, 'relabelled')}`,
  ].filter((part): part is string => typeof part === 'string');
  return parts.length > 0 ? parts.join(', ') : null;
}

function classesWith(changes: FileChanges, kind: ChangeKind): string {
  const names = changes.byClass.filter((row) => row[kind] > 0).map(className);
  const shown = names.slice(0, CLASSES_SHOWN).join(', ');
  return names.length > CLASSES_SHOWN ? `${shown} and ${names.length - CLASSES_SHOWN} more` : shown;
}

/** "train/cats" as the folder reads; a file outside split folders by its class alone. */
function className({ split, label }: ClassChanges): string {
  const name = label === '' ? '(no class)' : label;
  return split === null ? name : `${split}/${name}`;
}
