import type { Split } from '../objects/types';

/** Where a file lands in the data set, inferred from its folders. */
export interface Placement {
  /** The path as given (already normalised by normalizeEntryPath). */
  path: string;
  /** Relative to the tracked folder: what DVC records. */
  relpath: string;
  split: Split | null;
  /** Null for a loose file: the user is asked for its label. */
  label: string | null;
}

export interface PlacementResult {
  /** Name of the tracked folder (DVC's `path:` in the .dvc file). */
  root: string;
  placements: Placement[];
}

/** The tracked folder's name when the paths do not bring their own, as in the tutorial. */
export const DEFAULT_ROOT = 'data';

// A Map, not an object: a class folder may be called "constructor" or "__proto__".
const SPLIT_BY_FOLDER = new Map<string, Split>([
  ['train', 'train'],
  ['validation', 'validation'],
  ['valid', 'validation'],
  ['val', 'validation'],
  ['test', 'test'],
]);

/** The split a folder name stands for (any case), or null. */
export function splitOfFolder(name: string): Split | null {
  return SPLIT_BY_FOLDER.get(name.toLowerCase()) ?? null;
}

/**
 * The single top folder shared by every path, when it is a container (like
 * `data/` in `data/train/cats/1.jpg`) rather than a split folder, or a label
 * folder — one holding files directly, like `cats/` in `cats/1.jpg`.
 */
function sharedRoot(paths: readonly string[]): string | null {
  const top = paths[0]?.split('/')[0];
  if (top === undefined || splitOfFolder(top)) return null;
  const prefix = `${top}/`;
  const insideSubfolder = (path: string) => path.startsWith(prefix) && path.includes('/', prefix.length);
  return paths.every(insideSubfolder) ? top : null;
}

// `…/<split>/<label>/…` wins; otherwise the top folder is the label. Folders
// nested below the label (`train/cats/batch1/x.jpg`) do not change it.
function placeRelpath(relpath: string): Pick<Placement, 'split' | 'label'> {
  const folders = relpath.split('/').slice(0, -1);
  for (const [index, folder] of folders.entries()) {
    const split = splitOfFolder(folder);
    if (split) return { split, label: folders[index + 1] ?? null };
  }
  return { split: null, label: folders[0] ?? null };
}

/** Finds the tracked folder and each file's relpath, split and label from normalised paths. */
export function inferPlacement(paths: readonly string[]): PlacementResult {
  const root = sharedRoot(paths);
  const placements = paths.map((path) => {
    const relpath = root === null ? path : path.slice(root.length + 1);
    return { path, relpath, ...placeRelpath(relpath) };
  });
  return { root: root ?? DEFAULT_ROOT, placements };
}
