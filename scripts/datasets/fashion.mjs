// Fashion-MNIST (Debian package dataset-fashion-mnist) as tutorial-shaped zips of
// grey 28×28 PNGs. Train images come from the 60 000-image train set, validation
// images from the 10 000-image t10k set; images are taken in source order and any
// image whose pixels equal an image already taken in the same unit is skipped, so
// no file content appears twice (within a zip, across zips, across splits).
import { join } from 'node:path';
import { readIdx } from './idx.mjs';
import { encodePng } from './png.mjs';
import { runUnit, sourceSizes, writeZipAndFolder } from './output.mjs';

export const FASHION_PACKAGE = 'dataset-fashion-mnist';
/** Where the Debian package puts the files; PAWPRINT_FASHION_MNIST_DIR overrides it. */
export const DEFAULT_FASHION_DIR = process.env.PAWPRINT_FASHION_MNIST_DIR || '/usr/share/datasets/fashion-mnist';
/** Fashion-MNIST label → class name. */
export const FASHION_CLASSES = /** @type {const} */ ([
  't-shirt', 'trouser', 'pullover', 'dress', 'coat', 'sandal', 'shirt', 'sneaker', 'bag', 'ankle-boot',
]);

/** @param {string} dir */
export function fashionFiles(dir = DEFAULT_FASHION_DIR) {
  return ['train', 't10k'].flatMap((set) => [
    join(dir, `${set}-images-idx3-ubyte.gz`),
    join(dir, `${set}-labels-idx1-ubyte.gz`),
  ]);
}

/**
 * @typedef {{ images: Uint8Array, labels: Uint8Array, count: number }} FashionSet
 * @typedef {{ train: FashionSet, t10k: FashionSet }} Fashion
 */

/** @type {Map<string, Fashion>} */
const cache = new Map();

/**
 * @param {string} [dir]
 * @returns {Fashion}
 */
export function loadFashion(dir = DEFAULT_FASHION_DIR) {
  const hit = cache.get(dir);
  if (hit) return hit;
  sourceSizes(fashionFiles(dir), FASHION_PACKAGE);
  /** @param {'train' | 't10k'} set */
  const load = (set) => {
    const images = readIdx(join(dir, `${set}-images-idx3-ubyte.gz`));
    const labels = readIdx(join(dir, `${set}-labels-idx1-ubyte.gz`));
    if (images.dims[1] !== 28 || images.dims[2] !== 28 || images.dims[0] !== labels.dims[0]) {
      throw new Error(`${dir}/${set}: unexpected IDX dims ${images.dims} / ${labels.dims}`);
    }
    return { images: images.data, labels: labels.data, count: /** @type {number} */ (labels.dims[0]) };
  };
  const fashion = { train: load('train'), t10k: load('t10k') };
  cache.set(dir, fashion);
  return fashion;
}

/**
 * Picks images of one label in source order, skipping content already seen.
 */
class Picker {
  /** @param {Fashion} fashion */
  constructor(fashion) {
    this.fashion = fashion;
    /** @type {Set<string>} pixels of every image taken so far */
    this.seen = new Set();
    /** next source index to look at, per "<set>:<label>" */
    /** @type {Map<string, number>} */
    this.cursor = new Map();
    this.duplicatesSkipped = 0;
  }

  /**
   * @param {'train' | 't10k'} set
   * @param {number} label
   * @param {number} n
   * @returns {Uint8Array[]} n 28×28 images
   */
  take(set, label, n) {
    const { images, labels, count } = this.fashion[set];
    const key = `${set}:${label}`;
    let i = this.cursor.get(key) ?? 0;
    const out = [];
    for (; i < count && out.length < n; i++) {
      if (labels[i] !== label) continue;
      const img = images.subarray(i * 784, (i + 1) * 784);
      const k = Buffer.from(img.buffer, img.byteOffset, 784).toString('latin1');
      if (this.seen.has(k)) {
        this.duplicatesSkipped++;
        continue;
      }
      this.seen.add(k);
      out.push(img);
    }
    this.cursor.set(key, i);
    if (out.length < n) throw new Error(`Fashion-MNIST ${set} has only ${out.length} unique images of label ${label}, need ${n}`);
    return out;
  }
}

/**
 * Zip entries `data/<split>/<class>/<class>.<number>.png`.
 * @param {string} split
 * @param {string} cls
 * @param {Uint8Array[]} images
 * @param {number} firstNumber
 */
function entries(split, cls, images, firstNumber) {
  return images.map((img, i) => ({
    name: `data/${split}/${cls}/${cls}.${String(firstNumber + i).padStart(5, '0')}.png`,
    data: encodePng(28, 28, 1, img),
  }));
}

/**
 * @typedef {{ force?: boolean, folders?: boolean, fashionDir?: string }} BuildOptions
 */

/** The two classes of the tutorial-shaped pair. */
export const PAIR_CLASSES = /** @type {const} */ (['sneaker', 'sandal']);
export const PAIR_COUNTS = { train: 500, newLabels: 500, validation: 400 };

/**
 * fashion/data.zip (500+500 train, 400+400 validation) and fashion/new-labels.zip
 * (+500+500 train). Like the DVC tutorial, numbers run on across the zips so names
 * never collide: train 1–500, new labels 501–1000, validation 1001–1400.
 * @param {string} outDir
 * @param {BuildOptions} [opts]
 */
export function buildFashionPair(outDir, opts = {}) {
  const dir = opts.fashionDir ?? DEFAULT_FASHION_DIR;
  const stamp = { sources: sourceSizes(fashionFiles(dir), FASHION_PACKAGE), classes: PAIR_CLASSES, counts: PAIR_COUNTS, folders: !!opts.folders };
  return runUnit(outDir, 'fashion/pair', stamp, !!opts.force, () => {
    const pick = new Picker(loadFashion(dir));
    const { train, newLabels, validation } = PAIR_COUNTS;
    const data = [];
    const more = [];
    const val = [];
    for (const cls of PAIR_CLASSES) {
      const label = FASHION_CLASSES.indexOf(cls);
      data.push(...entries('train', cls, pick.take('train', label, train), 1));
      more.push(...entries('train', cls, pick.take('train', label, newLabels), train + 1));
      val.push(...entries('validation', cls, pick.take('t10k', label, validation), train + newLabels + 1));
    }
    const folder = { folder: !!opts.folders };
    const outputs = [
      ...writeZipAndFolder(outDir, 'fashion/data.zip', [...data, ...val], folder),
      ...writeZipAndFolder(outDir, 'fashion/new-labels.zip', more, folder),
    ];
    return { outputs, info: { duplicatesSkipped: pick.duplicatesSkipped } };
  });
}

export const TEN_COUNTS = { train: 300, validation: 100 };

/**
 * fashion/data10.zip: all 10 classes, 300 train + 100 validation each.
 * @param {string} outDir
 * @param {BuildOptions} [opts]
 */
export function buildFashion10(outDir, opts = {}) {
  const dir = opts.fashionDir ?? DEFAULT_FASHION_DIR;
  const stamp = { sources: sourceSizes(fashionFiles(dir), FASHION_PACKAGE), classes: FASHION_CLASSES, counts: TEN_COUNTS, folders: !!opts.folders };
  return runUnit(outDir, 'fashion/data10', stamp, !!opts.force, () => {
    const pick = new Picker(loadFashion(dir));
    /** @type {import('./output.mjs').Entry[]} */
    const all = [];
    for (const split of /** @type {const} */ (['train', 'validation'])) {
      FASHION_CLASSES.forEach((cls, label) => {
        const n = TEN_COUNTS[split];
        const first = split === 'train' ? 1 : TEN_COUNTS.train + 1;
        all.push(...entries(split, cls, pick.take(split === 'train' ? 'train' : 't10k', label, n), first));
      });
    }
    const outputs = writeZipAndFolder(outDir, 'fashion/data10.zip', all, { folder: !!opts.folders });
    return { outputs, info: { duplicatesSkipped: pick.duplicatesSkipped } };
  });
}
