import type { DatasetEntry } from '../objects/types';
import { describeCharacter, invisibleCharacter } from './invisible-characters';
import { splitOfFolder } from './placement';

/** Thrown for an edit the user asked for that cannot be done; the message says why. */
export class DatasetEditError extends Error {
  override name = 'DatasetEditError';
}

/** Adds `added` on top of `base`: a path already there takes the new content. */
export function mergeEntries(base: readonly DatasetEntry[], added: readonly DatasetEntry[]): DatasetEntry[] {
  const byPath = new Map(base.map((entry) => [entry.path, entry]));
  for (const entry of added) byPath.set(entry.path, entry);
  return [...byPath.values()];
}

export function removePaths(entries: readonly DatasetEntry[], paths: Iterable<string>): DatasetEntry[] {
  const gone = new Set(paths);
  return entries.filter((entry) => !gone.has(entry.path));
}

export function removeClass(entries: readonly DatasetEntry[], label: string): DatasetEntry[] {
  return entries.filter((entry) => entry.label !== label);
}

/** Why a label cannot name a class folder, or null when it can. */
export function labelProblem(label: string): string | null {
  if (label.trim() === '') return 'A class name cannot be empty.';
  if (label !== label.trim()) return 'A class name cannot start or end with spaces.';
  if (/[/\\\0]/.test(label)) return 'A class name cannot contain "/", "\\" or NUL: it becomes a folder name.';
  if (label === '.' || label === '..') return `"${label}" cannot be a folder name.`;
  if (splitOfFolder(label)) return `"${label}" names a split folder (train, validation, test), not a class.`;
  const invisible = invisibleCharacter(label);
  if (invisible !== null) {
    return `A class name cannot contain ${describeCharacter(invisible)}: it is invisible, and makes the name show as another or two names that look the same differ.`;
  }
  return null;
}

/**
 * Renames a class: its label and its folder in every path (DVC tracks folders, so
 * `train/cats/1.jpg` becomes `train/felines/1.jpg`). Renaming onto an existing
 * class merges the two, unless that would put two files at one path.
 */
export function renameClass(entries: readonly DatasetEntry[], from: string, to: string): DatasetEntry[] {
  const problem = labelProblem(to);
  if (problem) throw new DatasetEditError(problem);
  const renamed = entries.map((entry) =>
    entry.label === from ? { ...entry, label: to, path: relabelPath(entry.path, to) } : entry,
  );
  const seen = new Set<string>();
  for (const entry of renamed) {
    if (seen.has(entry.path)) {
      throw new DatasetEditError(`Renaming "${from}" to "${to}" would put two files at ${entry.path}.`);
    }
    seen.add(entry.path);
  }
  return renamed;
}

/**
 * Moves a relpath into the folder of class `label`: the label folder is the one
 * right under the split folder, or the first one; a file without one gets one.
 */
export function relabelPath(path: string, label: string): string {
  const parts = path.split('/');
  const splitIndex = parts.findIndex((part, index) => index < parts.length - 1 && splitOfFolder(part));
  const labelIndex = splitIndex >= 0 ? splitIndex + 1 : 0;
  if (labelIndex >= parts.length - 1) {
    parts.splice(labelIndex, 0, label);
    return parts.join('/');
  }
  parts[labelIndex] = label;
  return parts.join('/');
}

/** An edit the user makes to the workspace, as sent from the page to the worker. */
export type WorkspaceEdit =
  | { kind: 'remove-paths'; paths: string[] }
  | { kind: 'remove-class'; label: string }
  | { kind: 'rename-class'; from: string; to: string };

export function applyEdit(entries: readonly DatasetEntry[], edit: WorkspaceEdit): DatasetEntry[] {
  switch (edit.kind) {
    case 'remove-paths':
      return removePaths(entries, edit.paths);
    case 'remove-class':
      return removeClass(entries, edit.label);
    case 'rename-class':
      return renameClass(entries, edit.from, edit.to);
  }
}
