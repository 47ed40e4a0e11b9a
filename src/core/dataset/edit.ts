import type { DatasetEntry, Split } from '../objects/types';
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
  return unique(renamed, (path) => `Renaming "${from}" to "${to}" would put two files at ${path}.`);
}

/** Moves the files at `paths` into class `label` (its folder, as renameClass does for a whole class). */
export function moveToClass(entries: readonly DatasetEntry[], paths: readonly string[], label: string): DatasetEntry[] {
  const problem = labelProblem(label);
  if (problem) throw new DatasetEditError(problem);
  const moving = selection(entries, paths);
  const moved = entries.map((entry) =>
    moving.has(entry.path) && entry.label !== label ? { ...entry, label, path: relabelPath(entry.path, label) } : entry,
  );
  return unique(moved, (path) => `Moving to "${label}" would put two files at ${path}.`);
}

/**
 * Moves the files at `paths` into split `split`: the split folder of each path
 * changes (one is added in front of a path without one), named as the data set
 * already names that split's folder (`val/` stays `val/`), else by the split.
 */
export function moveToSplit(entries: readonly DatasetEntry[], paths: readonly string[], split: Split): DatasetEntry[] {
  const moving = selection(entries, paths);
  const folder = splitFolderName(entries, split);
  const moved = entries.map((entry) =>
    moving.has(entry.path) && entry.split !== split ? { ...entry, split, path: resplitPath(entry.path, folder) } : entry,
  );
  return unique(moved, (path) => `Moving to ${split} would put two files at ${path}.`);
}

/** The paths asked for, all of which must be in the data set (a stale selection changes nothing). */
function selection(entries: readonly DatasetEntry[], paths: readonly string[]): Set<string> {
  if (paths.length === 0) throw new DatasetEditError('No images selected: select images first.');
  const wanted = new Set(paths);
  const present = entries.reduce((count, entry) => count + (wanted.has(entry.path) ? 1 : 0), 0);
  if (present !== wanted.size) {
    throw new DatasetEditError(`${wanted.size - present} of the selected images are no longer in the data set; nothing was changed.`);
  }
  return wanted;
}

function unique(entries: DatasetEntry[], clash: (path: string) => string): DatasetEntry[] {
  const seen = new Set<string>();
  for (const entry of entries) {
    if (seen.has(entry.path)) throw new DatasetEditError(clash(entry.path));
    seen.add(entry.path);
  }
  return entries;
}

function splitFolderName(entries: readonly DatasetEntry[], split: Split): string {
  for (const entry of entries) {
    if (entry.split !== split) continue;
    const folder = entry.path.split('/').find((part, index, parts) => index < parts.length - 1 && splitOfFolder(part) === split);
    if (folder) return folder;
  }
  return split;
}

/** Puts a relpath under split folder `folder`: the split folder is replaced, or added in front. */
export function resplitPath(path: string, folder: string): string {
  const parts = path.split('/');
  const splitIndex = parts.findIndex((part, index) => index < parts.length - 1 && splitOfFolder(part));
  if (splitIndex >= 0) parts[splitIndex] = folder;
  else parts.unshift(folder);
  return parts.join('/');
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
  | { kind: 'rename-class'; from: string; to: string }
  | { kind: 'move-to-class'; paths: string[]; label: string }
  | { kind: 'move-to-split'; paths: string[]; split: Split };

export function applyEdit(entries: readonly DatasetEntry[], edit: WorkspaceEdit): DatasetEntry[] {
  switch (edit.kind) {
    case 'remove-paths':
      return removePaths(entries, edit.paths);
    case 'remove-class':
      return removeClass(entries, edit.label);
    case 'rename-class':
      return renameClass(entries, edit.from, edit.to);
    case 'move-to-class':
      return moveToClass(entries, edit.paths, edit.label);
    case 'move-to-split':
      return moveToSplit(entries, edit.paths, edit.split);
  }
}
