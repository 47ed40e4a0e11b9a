// bench:exchange's inputs, built from the fixtures (scripts/make-datasets.mjs, no network):
//   - the tutorial-sized history: v1 = tutorial/data.zip with the first half of each training
//     class (500 + 500 train, 400 + 400 validation JPEGs), v2 = the whole zip (1 000 more
//     training images), as in DVC's tutorial where v2 adds new training data;
//   - fashion/data.zip (sandal vs sneaker) for the training comparison.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { datasetsDir, makeDatasets } from '../../test/harness/datasets.mjs';

/** @param {string} relative @param {string} only */
async function fixture(relative, only) {
  const path = join(datasetsDir(), relative);
  if (!existsSync(path)) await makeDatasets([only], { folders: false });
  if (!existsSync(path)) throw new Error(`make-datasets --only ${only} did not write ${path}`);
  return path;
}

/**
 * The two zips of the history (v1 written into `scratch`) and their sizes.
 * @param {string} scratch
 */
export async function tutorialHistory(scratch) {
  const v2 = await fixture('tutorial/data.zip', 'tutorial');
  const entries = Object.entries(unzipSync(new Uint8Array(readFileSync(v2)))).filter(([name]) => name.startsWith('data/') && !name.endsWith('/'));
  const kept = new Map();
  /** @type {Record<string, Uint8Array>} */
  const v1 = {};
  for (const [name, bytes] of entries.sort(([a], [b]) => (a < b ? -1 : 1))) {
    const folder = name.slice(0, name.lastIndexOf('/'));
    const count = kept.get(folder) ?? 0;
    const half = name.startsWith('data/train/') ? 500 : Infinity;
    if (count >= half) continue;
    kept.set(folder, count + 1);
    v1[name] = bytes;
  }
  const v1Zip = join(scratch, 'tutorial-v1.zip');
  writeFileSync(v1Zip, zipSync(v1, { level: 0 }));
  const bytes = (/** @type {Uint8Array[]} */ list) => list.reduce((sum, b) => sum + b.length, 0);
  return {
    v1Zip,
    v2Zip: v2,
    v1Files: Object.keys(v1).length,
    v2Files: entries.length,
    v2Bytes: bytes(entries.map(([, b]) => b)),
  };
}

/** fashion/data.zip: 1 000 training and 800 validation 28×28 PNGs, sandal vs sneaker. */
export function fashionPair() {
  return fixture('fashion/data.zip', 'fashion');
}
