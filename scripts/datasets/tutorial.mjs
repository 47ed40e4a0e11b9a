// tutorial/data.zip: a set shaped and sized like the DVC tutorial's data.zip
// (data/train/<class> 1 000 each, data/validation/<class> 400 each, ~67 MB of JPEGs,
// 150–500 px), made from the Tux Paint photos of two categories. There are only a
// few dozen photos per category, so every file is a distinct variant of one: its own
// canvas size, crop, scale, position, mirror, gradient background, brightness, grain
// and JPEG quality, all drawn from a PRNG seeded with the file's name. Train files
// come from the photos in the photo set's train split, validation files from its
// validation split, so no photo appears in both.
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { boxDownscale, decodePngPremultiplied, render } from './image.mjs';
import { encodeJpeg } from './jpeg.mjs';
import { runUnit, sha256, writeZipAndFolder } from './output.mjs';
import { photoSources } from './photos.mjs';
import { prng } from './prng.mjs';
import { DEFAULT_STAMPS_DIR, split8020 } from './tuxpaint.mjs';

export const TUTORIAL_CLASSES = ['animals', 'food'];
export const TUTORIAL_COUNTS = { train: 1000, validation: 400 };

/**
 * One JPEG to make.
 * @typedef {{ index: number, name: string, source: string, placement: import('./image.mjs').Placement, quality: number }} Job
 */

/**
 * Draw a variant of a w×h photo for the file `name`.
 * @param {string} name
 * @param {number} w source width
 * @param {number} h source height
 * @returns {{ placement: import('./image.mjs').Placement, quality: number }}
 */
export function planVariant(name, w, h) {
  const r = prng(`pawprint-tutorial:${name}`);
  const width = r.int(150, 500);
  const height = Math.min(500, Math.max(150, Math.round(width * r.range(0.65, 1.5))));
  const cropW = w * r.range(0.7, 1), cropH = h * r.range(0.7, 1);
  const cropX = r.range(0, w - cropW), cropY = r.range(0, h - cropH);
  const scale = r.range(0.55, 0.95) * Math.min(width / cropW, height / cropH);
  /** @returns {import('./image.mjs').RGB} */
  const colour = () => [r.int(30, 230), r.int(30, 230), r.int(30, 230)];
  const from = colour();
  const solid = r.next() < 0.25;
  return {
    placement: {
      width, height,
      background: { from, to: solid ? from : colour(), angle: r.range(0, 2 * Math.PI) },
      cropX, cropY, cropW, cropH, scale,
      x: r.range(0, width - cropW * scale), y: r.range(0, height - cropH * scale),
      mirror: r.next() < 0.5,
      gain: r.range(0.88, 1.12),
      grain: r.range(4, 10),
      seed: (r.int(1, 0x7fffffff) | 1) >>> 0,
    },
    quality: r.int(75, 92),
  };
}

/**
 * Read a PNG's width and height from its IHDR.
 * @param {Uint8Array} png
 */
const pngSize = (png) => {
  const v = new DataView(png.buffer, png.byteOffset, png.length);
  return { w: v.getUint32(16), h: v.getUint32(20) };
};

/**
 * The full list of JPEGs to make, in zip order.
 * @param {string} stampsDir
 * @param {{ classes?: string[], counts?: { train: number, validation: number } }} [opts]
 * @returns {Job[]}
 */
export function planTutorial(stampsDir = DEFAULT_STAMPS_DIR, opts = {}) {
  const classes = opts.classes ?? TUTORIAL_CLASSES;
  const counts = opts.counts ?? TUTORIAL_COUNTS;
  const { byCategory } = photoSources(stampsDir);
  /** @type {Map<string, { w: number, h: number }>} */
  const sizes = new Map();
  /** @type {Job[]} */
  const jobs = [];
  for (const split of /** @type {const} */ (['train', 'validation'])) {
    for (const cls of classes) {
      const photos = split8020(byCategory[cls] ?? [])[split];
      if (!photos.length) throw new Error(`no ${split} photos for class ${cls}`);
      const first = split === 'train' ? 1 : counts.train + 1;
      for (let i = 0; i < counts[split]; i++) {
        const photo = /** @type {{ path: string }} */ (photos[i % photos.length]);
        const source = join(stampsDir, photo.path);
        const size = sizes.get(source) ?? pngSize(readFileSync(source));
        sizes.set(source, size);
        const { w, h } = size;
        const name = `data/${split}/${cls}/${cls}.${String(first + i).padStart(5, '0')}.jpg`;
        jobs.push({ index: jobs.length, name, source, ...planVariant(name, w, h) });
      }
    }
  }
  return jobs;
}

/**
 * Make the JPEGs of jobs, which come grouped by source photo.
 * @param {Job[]} jobs
 * @returns {Uint8Array[]}
 */
export function renderJobs(jobs) {
  /** @type {Map<string, Map<number, import('./image.mjs').FloatImage>>} */
  const levels = new Map();
  return jobs.map((job) => {
    let bySize = levels.get(job.source);
    if (!bySize) {
      levels.clear(); // jobs come grouped by source: keep one source in memory
      bySize = new Map([[1, decodePngPremultiplied(readFileSync(job.source))]]);
      levels.set(job.source, bySize);
    }
    const cache = bySize;
    /** @param {number} k */
    const level = (k) => {
      let img = cache.get(k);
      if (!img) cache.set(k, (img = boxDownscale(/** @type {import('./image.mjs').FloatImage} */ (cache.get(1)), k)));
      return img;
    };
    const { width, height } = job.placement;
    return encodeJpeg(render(level, job.placement), width, height, job.quality);
  });
}

/**
 * Render jobs on `workers` threads (0: in this thread), grouped by source photo.
 * @param {Job[]} jobs
 * @param {number} workers
 * @returns {Promise<Uint8Array[]>} JPEG bytes in job order
 */
export async function renderAll(jobs, workers) {
  /** @type {Map<string, Job[]>} */
  const bySource = new Map();
  for (const j of jobs) {
    const group = bySource.get(j.source);
    if (group) group.push(j);
    else bySource.set(j.source, [j]);
  }
  // Biggest groups first, each to the least loaded thread.
  const groups = [...bySource.values()].sort((a, b) => b.length - a.length);
  /** @type {Job[][]} */
  const shares = Array.from({ length: Math.max(1, workers) }, () => []);
  for (const g of groups) shares.reduce((a, b) => (b.length < a.length ? b : a)).push(...g);
  /** @type {Uint8Array[]} */
  const out = new Array(jobs.length);
  if (workers === 0) {
    renderJobs(/** @type {Job[]} */ (shares[0])).forEach((bytes, i) => (out[/** @type {Job} */ (shares[0]?.[i]).index] = bytes));
    return out;
  }
  await Promise.all(
    shares.map(
      (share) =>
        new Promise((resolve, reject) => {
          const w = new Worker(new URL('./tutorial-worker.mjs', import.meta.url), { workerData: share });
          w.on('message', (/** @type {Uint8Array[]} */ results) => results.forEach((b, i) => (out[/** @type {Job} */ (share[i]).index] = b)));
          w.on('error', reject);
          w.on('exit', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`tutorial worker exited with ${code}`))));
        }),
    ),
  );
  return out;
}

/**
 * @param {string} outDir
 * @param {{ force?: boolean, stampsDir?: string, workers?: number, classes?: string[], counts?: { train: number, validation: number }, zip?: string }} [opts]
 *   zip: output path relative to outDir (default tutorial/data.zip)
 */
export function buildTutorial(outDir, opts = {}) {
  const stampsDir = opts.stampsDir ?? DEFAULT_STAMPS_DIR;
  const zip = opts.zip ?? 'tutorial/data.zip';
  const jobs = planTutorial(stampsDir, opts);
  const stamp = {
    stampsDir,
    classes: opts.classes ?? TUTORIAL_CLASSES,
    counts: opts.counts ?? TUTORIAL_COUNTS,
    sources: Object.fromEntries([...new Set(jobs.map((j) => j.source))].map((s) => [s, readFileSync(s).length])),
  };
  const unit = zip.replace(/\.zip$/, '');
  return runUnit(outDir, unit, stamp, !!opts.force, async () => {
    const workers = opts.workers ?? Math.min(4, availableParallelism());
    const jpegs = await renderAll(jobs, workers);
    const hashes = new Map();
    jpegs.forEach((bytes, i) => {
      const h = sha256(bytes);
      const other = hashes.get(h);
      if (other !== undefined) throw new Error(`tutorial: ${jobs[i]?.name} has the same bytes as ${jobs[other]?.name}`);
      hashes.set(h, i);
    });
    const entries = jobs.map((j, i) => ({ name: j.name, data: /** @type {Uint8Array} */ (jpegs[i]) }));
    const sizes = jobs.map((j) => [j.placement.width, j.placement.height]).flat();
    return {
      outputs: writeZipAndFolder(outDir, zip, entries),
      info: {
        jpegBytes: entries.reduce((n, e) => n + e.data.length, 0),
        minSide: Math.min(...sizes),
        maxSide: Math.max(...sizes),
        sourcePhotos: Object.keys(stamp.sources).length,
        workers,
      },
    };
  });
}
