// photos/data.zip: the Tux Paint stamp photos as they are (original PNG bytes),
// data/{train,validation}/<category>/<name>.png, 80/20 by sorted path.
import { readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { runUnit, sha256, writeZipAndFolder } from './output.mjs';
import { DEFAULT_STAMPS_DIR, PHOTO_CATEGORIES, listCategory, split8020 } from './tuxpaint.mjs';

/**
 * Per category, the unique photos (first path wins when two files have the same bytes)
 * with the zip-entry file name each gets: its base name, or, if another photo of the
 * category has the same base name, its path below the category folder joined with "-".
 * @param {string} stampsDir
 */
export function photoSources(stampsDir = DEFAULT_STAMPS_DIR) {
  const seen = new Set();
  let duplicatesSkipped = 0;
  /** @type {Record<string, { path: string, name: string, bytes: number }[]>} */
  const byCategory = {};
  for (const [category, spec] of Object.entries(PHOTO_CATEGORIES)) {
    const files = [];
    for (const rel of listCategory(stampsDir, category)) {
      const hash = sha256(readFileSync(join(stampsDir, rel)));
      if (seen.has(hash)) {
        duplicatesSkipped++;
        continue;
      }
      seen.add(hash);
      files.push(rel);
    }
    const baseCount = new Map();
    for (const rel of files) baseCount.set(basename(rel), (baseCount.get(basename(rel)) ?? 0) + 1);
    byCategory[category] = files.map((rel) => ({
      path: rel,
      name: baseCount.get(basename(rel)) === 1 ? basename(rel) : rel.slice(spec.dir.length + 1).replaceAll('/', '-'),
      bytes: statSync(join(stampsDir, rel)).size,
    }));
  }
  return { byCategory, duplicatesSkipped };
}

/**
 * @param {string} outDir
 * @param {{ force?: boolean, folders?: boolean, stampsDir?: string }} [opts]
 */
export function buildPhotos(outDir, opts = {}) {
  const stampsDir = opts.stampsDir ?? DEFAULT_STAMPS_DIR;
  const { byCategory, duplicatesSkipped } = photoSources(stampsDir);
  const sources = Object.fromEntries(Object.values(byCategory).flat().map((f) => [f.path, f.bytes]));
  const stamp = { stampsDir, sources, folders: !!opts.folders };
  return runUnit(outDir, 'photos/data', stamp, !!opts.force, () => {
    /** @type {import('./output.mjs').Entry[]} */
    const entries = [];
    for (const split of /** @type {const} */ (['train', 'validation'])) {
      for (const [category, files] of Object.entries(byCategory)) {
        for (const f of split8020(files)[split]) {
          entries.push({ name: `data/${split}/${category}/${f.name}`, data: readFileSync(join(stampsDir, f.path)) });
        }
      }
    }
    const outputs = writeZipAndFolder(outDir, 'photos/data.zip', entries, { folder: !!opts.folders });
    return { outputs, info: { duplicatesSkipped } };
  });
}
