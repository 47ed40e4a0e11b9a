import { sortByCodePoints } from '../hash/compare-code-points';
import { dvcDirHash } from '../hash/dvc';
import type { Dataset, DatasetEntry, DvcDirInfo } from './types';
import { validateObject } from './validate-object';

/**
 * Builds a dataset manifest: entries in code-point order by path (copied, so
 * stray extra fields never reach the id) and DVC's directory hash over them.
 * Throws InvalidObjectError on duplicate paths or malformed entries.
 */
export async function buildDataset(root: string, entries: readonly DatasetEntry[]): Promise<Dataset> {
  const sorted = sortByCodePoints(
    entries.map(({ path, sha256, md5, size, split, label }) => ({ path, sha256, md5, size, split, label })),
    (entry) => entry.path,
  );
  const dataset: Dataset = { kind: 'dataset', schema: 1, root, entries: sorted, dvc: await dvcDirInfo(sorted) };
  return validateObject(dataset) as Dataset;
}

/** Whether two DVC blocks say the same (`.dir` hash, size, file count). */
export function sameDvcInfo(a: DvcDirInfo, b: DvcDirInfo): boolean {
  return a.md5 === b.md5 && a.size === b.size && a.nfiles === b.nfiles;
}

/** What `dvc add <root>` records for these files: `.dir` hash, total size, file count. */
export async function dvcDirInfo(entries: readonly DatasetEntry[]): Promise<DvcDirInfo> {
  return {
    md5: await dvcDirHash(entries.map(({ md5, path }) => ({ md5, relpath: path }))),
    size: entries.reduce((total, entry) => total + entry.size, 0),
    nfiles: entries.length,
  };
}
