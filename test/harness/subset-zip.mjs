// A smaller copy of a tutorial-shaped zip, for tests and benchmarks that train on a few images.

import { readFileSync } from 'node:fs';
import { unzipSync, zipSync } from 'fflate';

/**
 * The first `counts[split]` files of each class in each split of a zip laid out
 * `data/<split>/<class>/<file>`, in the source's path order (deterministic), as a new zip
 * (entries stored). `classes` keeps only those classes (e.g. one, for a data set that cannot train).
 * @param {string} source path of the zip
 * @param {{ train: number, validation: number }} counts
 * @param {string[]} [classes]
 * @returns {Uint8Array}
 */
export function subsetZip(source, counts, classes) {
  const files = unzipSync(new Uint8Array(readFileSync(source)));
  /** @type {Map<string, number>} */
  const taken = new Map();
  /** @type {import('fflate').Zippable} */
  const out = Object.create(null);
  for (const path of Object.keys(files).sort()) {
    const match = /^data\/(train|validation)\/([^/]+)\/[^/]+$/.exec(path);
    if (!match) continue;
    const split = /** @type {'train' | 'validation'} */ (match[1]);
    const label = /** @type {string} */ (match[2]);
    if (classes && !classes.includes(label)) continue;
    const key = `${split}/${label}`;
    const n = taken.get(key) ?? 0;
    if (n >= counts[split]) continue;
    taken.set(key, n + 1);
    out[path] = /** @type {Uint8Array} */ (files[path]);
  }
  return zipSync(out, { level: 0, mtime: new Date('2020-01-01T00:00:00Z') });
}
