// Walks the Tux Paint stamp photos (Debian package tuxpaint-stamps-default):
// PNG photo cut-outs with transparent backgrounds under /usr/share/tuxpaint/stamps/.
import { existsSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';

export const TUXPAINT_PACKAGE = 'tuxpaint-stamps-default';
/** Where the Debian package puts the stamps; PAWPRINT_TUXPAINT_STAMPS_DIR overrides it. */
export const DEFAULT_STAMPS_DIR = process.env.PAWPRINT_TUXPAINT_STAMPS_DIR || '/usr/share/tuxpaint/stamps';

/**
 * Category → folder under the stamps dir, and folders (relative to it) to leave out.
 * Birds live under animals/birds, so "animals" means animals other than birds.
 * @type {Record<string, { dir: string, exclude: string[] }>}
 */
export const PHOTO_CATEGORIES = {
  animals: { dir: 'animals', exclude: ['animals/birds'] },
  birds: { dir: 'animals/birds', exclude: [] },
  food: { dir: 'food', exclude: [] },
  plants: { dir: 'plants', exclude: [] },
};

/**
 * Folders skipped wherever they are: drawings ("cartoon") and photos of things that
 * are not the category's real thing (a teddy bear under animals, a plastic flower).
 */
export const SKIPPED_FOLDER_NAMES = ['cartoon', 'toys', 'plastic'];

/**
 * PNG files of one category, as paths relative to the stamps dir, sorted by code point.
 * @param {string} stampsDir
 * @param {string} category a key of PHOTO_CATEGORIES
 * @returns {string[]}
 */
export function listCategory(stampsDir, category) {
  const spec = PHOTO_CATEGORIES[category];
  if (!spec) throw new Error(`unknown photo category ${category}`);
  const root = join(stampsDir, spec.dir);
  if (!existsSync(root)) {
    throw new Error(`Missing ${root}: install the Debian package ${TUXPAINT_PACKAGE} (apt-get install ${TUXPAINT_PACKAGE}).`);
  }
  /** @type {string[]} */
  const files = [];
  /** @param {string} dir */
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      const rel = relative(stampsDir, path);
      if (e.isDirectory()) {
        if (!SKIPPED_FOLDER_NAMES.includes(e.name) && !spec.exclude.includes(rel)) walk(path);
      } else if (e.isFile() && e.name.toLowerCase().endsWith('.png')) {
        files.push(rel);
      }
    }
  };
  walk(root);
  return files.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/**
 * Deterministic 80/20 split of a sorted list: every fifth file (the 5th, 10th, …)
 * goes to validation, so both splits sample every sub-folder.
 * @template T
 * @param {T[]} sorted
 * @returns {{ train: T[], validation: T[] }}
 */
export function split8020(sorted) {
  return {
    train: sorted.filter((_, i) => i % 5 !== 4),
    validation: sorted.filter((_, i) => i % 5 === 4),
  };
}
