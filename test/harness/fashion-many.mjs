// A zip of many distinct Fashion-MNIST images (28×28 grey PNGs) from the Debian package, laid out
// data/train/<class>/…: the shape of a large real import, for bench:verify and bench:cleanup.
import { zipSync } from 'fflate';
import { FASHION_CLASSES, loadFashion } from '../../scripts/datasets/fashion.mjs';
import { encodePng } from '../../scripts/datasets/png.mjs';

/**
 * `count` images, in source order, an even share per class, skipping pixels already taken.
 * @param {number} count
 * @returns {{ zip: Uint8Array, files: Map<string, Uint8Array> }}
 */
export function fashionZip(count) {
  const { train } = loadFashion();
  const perClass = Math.ceil(count / FASHION_CLASSES.length);
  const taken = new Map(FASHION_CLASSES.map((_, label) => [label, 0]));
  const seen = new Set();
  /** @type {Map<string, Uint8Array>} */
  const files = new Map();
  for (let i = 0; i < train.count && files.size < count; i++) {
    const label = /** @type {number} */ (train.labels[i]);
    if (/** @type {number} */ (taken.get(label)) >= perClass) continue;
    const pixels = train.images.subarray(i * 784, (i + 1) * 784);
    const key = Buffer.from(pixels).toString('latin1');
    if (seen.has(key)) continue;
    seen.add(key);
    taken.set(label, /** @type {number} */ (taken.get(label)) + 1);
    files.set(`data/train/${FASHION_CLASSES[label]}/${String(i).padStart(5, '0')}.png`, encodePng(28, 28, 1, pixels));
  }
  if (files.size < count) throw new Error(`Fashion-MNIST gave only ${files.size} distinct images`);
  return { zip: zipSync(Object.fromEntries(files), { level: 0 }), files };
}
