import { groupBy } from '../dataset/group-by';
import { compareCodePoints } from '../hash/compare-code-points';
import type { DatasetEntry } from '../objects/types';
import { pythonJsonDumps, type PyJson } from './python-json';

/**
 * validation.json, the validate stage's output, as validate.py writes it from
 * data/: images per split folder ("unsplit" outside one) and class, and the
 * page's content checks (src/core/dataset/validate-content.ts) as path
 * groups — `conflicts` (the same bytes under two labels), `leakage` (in train
 * and in validation or test), `duplicates` (copies in one class and split) —
 * and the `undecodable` files, left out of every other check as the page
 * leaves them out of training. `undecodable` holds the sha256 of the images
 * the page could not decode.
 */
export function validationJson(entries: readonly DatasetEntry[], undecodable: ReadonlySet<string>): string {
  const usable = entries.filter((entry) => !undecodable.has(entry.sha256));
  const counts = new Map<string, Map<string, number>>();
  for (const entry of usable) {
    const split = counts.get(entry.split ?? 'unsplit') ?? new Map<string, number>();
    counts.set(entry.split ?? 'unsplit', split.set(entry.label, (split.get(entry.label) ?? 0) + 1));
  }
  const conflicts: string[][] = [];
  const leakage: string[][] = [];
  const duplicates: string[][] = [];
  for (const copies of groupBy(usable, (entry) => entry.sha256).values()) {
    if (copies.length < 2) continue;
    const paths = pathsOf(copies);
    if (new Set(copies.map((copy) => copy.label)).size > 1) conflicts.push(paths);
    if (copies.some((copy) => copy.split === 'train') && copies.some((copy) => copy.split === 'validation' || copy.split === 'test')) leakage.push(paths);
    for (const same of groupBy(copies, (copy) => JSON.stringify([copy.label, copy.split])).values()) if (same.length > 1) duplicates.push(pathsOf(same));
  }
  const report: ReadonlyMap<string, PyJson> = new Map<string, PyJson>([
    ['images', usable.length],
    ['counts', counts],
    ['conflicts', byFirstPath(conflicts)],
    ['leakage', byFirstPath(leakage)],
    ['duplicates', byFirstPath(duplicates)],
    ['undecodable', pathsOf(entries.filter((entry) => undecodable.has(entry.sha256)))],
  ]);
  return pythonJsonDumps(report);
}

const pathsOf = (entries: readonly DatasetEntry[]) => entries.map((entry) => entry.path).sort(compareCodePoints);

/** Python's sorted() of disjoint path groups: by their first path. */
const byFirstPath = (groups: string[][]) => groups.sort((a, b) => compareCodePoints(a[0]!, b[0]!));
