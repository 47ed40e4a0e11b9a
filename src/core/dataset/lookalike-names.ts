/**
 * Names that differ only in case or Unicode normalisation ("Cat" and "cat",
 * "Café" composed and decomposed, "ﬁsh" and "fish") are one folder on macOS
 * and Windows file systems: unpacked there, the files of one overwrite the
 * other's. Folding with NFKC and full case mapping is coarser than either
 * file system, so whatever they would merge folds alike here.
 */
export function foldedName(name: string): string {
  return name.normalize('NFKC').toUpperCase().toLowerCase().normalize('NFKC');
}

/** The groups of distinct names that fold alike (two or more each), in order of first appearance. */
export function lookalikeGroups(names: Iterable<string>): string[][] {
  const groups = new Map<string, string[]>();
  for (const name of names) {
    const key = foldedName(name);
    const group = groups.get(key) ?? groups.set(key, []).get(key)!;
    if (!group.includes(name)) group.push(name);
  }
  return [...groups.values()].filter((group) => group.length > 1);
}

/** How two lookalike names differ, for a message. */
export function lookalikeDifference(names: readonly string[]): string {
  const normalised = new Set(names.map((name) => name.normalize('NFKC')));
  const cased = new Set(names.map((name) => name.toUpperCase().toLowerCase()));
  if (normalised.size === 1) return 'differ only in Unicode normalisation';
  if (cased.size === 1) return 'differ only in case';
  return 'differ only in case and Unicode normalisation';
}

/**
 * Paths that would be one on a case-insensitive file system, folders
 * included ("train/Cat/a.png" and "train/cat/b.png" put both files in one
 * folder there): each group lists the spellings of one folder or file.
 */
export function collidingPaths(paths: Iterable<string>): string[][] {
  const spellings = new Set<string>();
  for (const path of paths) {
    const parts = path.split('/');
    for (let end = 1; end <= parts.length; end++) spellings.add(parts.slice(0, end).join('/'));
  }
  return lookalikeGroups(spellings);
}
