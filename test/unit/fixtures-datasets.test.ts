// The real-data fixture generator (scripts/make-datasets.mjs): builds the Fashion-MNIST
// zips (and small slices of the photo sets) into a temp dir and reads them back.
// Needs the Debian packages dataset-fashion-mnist and tuxpaint-stamps-default; without
// them these tests fail, saying which package to install.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  FASHION_CLASSES,
  FASHION_PACKAGE,
  buildFashion10,
  buildFashionPair,
  fashionFiles,
} from '../../scripts/datasets/fashion.mjs';
import { buildPhotos } from '../../scripts/datasets/photos.mjs';
import { encodePng } from '../../scripts/datasets/png.mjs';
import { buildTutorial } from '../../scripts/datasets/tutorial.mjs';
import { DEFAULT_STAMPS_DIR, PHOTO_CATEGORIES, TUXPAINT_PACKAGE } from '../../scripts/datasets/tuxpaint.mjs';

const tempDirs: string[] = [];
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), 'pawprint-datasets-'));
  tempDirs.push(d);
  return d;
};
afterAll(() => tempDirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

function requireFashion() {
  const missing = fashionFiles().filter((p) => !existsSync(p));
  if (missing.length) {
    throw new Error(
      `Fashion-MNIST files missing (${missing.join(', ')}). ` +
        `Install the Debian package ${FASHION_PACKAGE}: apt-get install ${FASHION_PACKAGE}`,
    );
  }
}

function requireStamps() {
  const missing = Object.values(PHOTO_CATEGORIES)
    .map((c) => join(DEFAULT_STAMPS_DIR, c.dir))
    .filter((p) => !existsSync(p));
  if (missing.length) {
    throw new Error(
      `Tux Paint stamp folders missing (${missing.join(', ')}). ` +
        `Install the Debian package ${TUXPAINT_PACKAGE}: apt-get install ${TUXPAINT_PACKAGE}`,
    );
  }
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const readZip = (path: string) => unzipSync(readFileSync(path));

/** Counts per "<split>/<class>" of entries named data/<split>/<class>/<file>. */
function countsOf(zip: Record<string, Uint8Array>) {
  const counts: Record<string, number> = {};
  for (const name of Object.keys(zip)) {
    const parts = name.split('/');
    expect(parts, name).toHaveLength(4);
    expect(parts[0], name).toBe('data');
    const key = `${parts[1]}/${parts[2]}`;
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

// Built once, on first use, so every test fails with the clear message when the
// package is missing (a failing beforeAll would only mark the tests skipped).
let pair: Promise<{ dir: string; data: Record<string, Uint8Array>; more: Record<string, Uint8Array> }> | undefined;
function fashionPair() {
  requireFashion();
  pair ??= (async () => {
    const dir = tempDir();
    await buildFashionPair(dir, { folders: true });
    return { dir, data: readZip(join(dir, 'fashion/data.zip')), more: readZip(join(dir, 'fashion/new-labels.zip')) };
  })();
  return pair;
}

describe('Fashion-MNIST sneaker/sandal zips', () => {
  it('finds the Debian package files', () => {
    requireFashion();
  });

  it('data.zip has 500+500 train and 400+400 validation, new-labels.zip +500+500 train', async () => {
    const { data, more } = await fashionPair();
    expect(countsOf(data)).toEqual({
      'train/sneaker': 500,
      'train/sandal': 500,
      'validation/sneaker': 400,
      'validation/sandal': 400,
    });
    expect(countsOf(more)).toEqual({ 'train/sneaker': 500, 'train/sandal': 500 });
    for (const name of [...Object.keys(data), ...Object.keys(more)]) {
      expect(name).toMatch(/^data\/(train|validation)\/(sneaker|sandal)\/(sneaker|sandal)\.\d{5}\.png$/);
      expect(name.split('/')[2]).toBe(name.split('/')[3]?.split('.')[0]);
    }
    // Like the tutorial, new-labels adds files: no name of data.zip is reused.
    expect(Object.keys(more).filter((n) => n in data)).toEqual([]);
  });

  it('every entry is a 28×28 PNG that pngjs decodes', async () => {
    const { data, more } = await fashionPair();
    for (const [name, bytes] of Object.entries({ ...data, ...more })) {
      const png = PNG.sync.read(Buffer.from(bytes));
      expect([png.width, png.height], name).toEqual([28, 28]);
    }
  });

  it('has no duplicate content within or across data.zip and new-labels.zip', async () => {
    const { data, more } = await fashionPair();
    const all = [...Object.values(data), ...Object.values(more)];
    expect(all).toHaveLength(2800);
    expect(new Set(all.map(sha)).size).toBe(2800);
  });

  it('has no validation image whose pixels equal a train image (of either zip)', async () => {
    const { data, more } = await fashionPair();
    const pixels = (bytes: Uint8Array) => sha(PNG.sync.read(Buffer.from(bytes)).data);
    const train = new Set(
      Object.entries({ ...data, ...more })
        .filter(([n]) => n.startsWith('data/train/'))
        .map(([, b]) => pixels(b)),
    );
    expect(train.size).toBe(2000);
    const leaked = Object.entries(data).filter(([n, b]) => n.startsWith('data/validation/') && train.has(pixels(b)));
    expect(leaked.map(([n]) => n)).toEqual([]);
  });

  it('writes the unpacked folders with the same files as the zips', async () => {
    const { dir, data, more } = await fashionPair();
    for (const [folder, zip] of [['fashion/data', data], ['fashion/new-labels', more]] as const) {
      for (const [name, bytes] of Object.entries(zip)) {
        expect(sha(readFileSync(join(dir, folder, name))), name).toBe(sha(bytes));
      }
    }
  });

  it('is deterministic, and a re-run skips work already done', async () => {
    const { dir } = await fashionPair();
    const other = tempDir();
    await buildFashionPair(other, { folders: false });
    for (const zip of ['fashion/data.zip', 'fashion/new-labels.zip']) {
      expect(sha(readFileSync(join(other, zip))), zip).toBe(sha(readFileSync(join(dir, zip))));
    }
    const again = await buildFashionPair(dir, { folders: true });
    expect(again.skipped).toBe(true);
    // A missing output is noticed and rebuilt, to the same bytes.
    rmSync(join(other, 'fashion/new-labels.zip'));
    const rebuilt = await buildFashionPair(other, { folders: false });
    expect(rebuilt.skipped).toBe(false);
    expect(sha(readFileSync(join(other, 'fashion/new-labels.zip')))).toBe(sha(readFileSync(join(dir, 'fashion/new-labels.zip'))));
  });
});

describe('Fashion-MNIST 10-class zip', () => {
  it('has 300 train and 100 validation 28×28 PNGs per class, all distinct', async () => {
    requireFashion();
    const dir = tempDir();
    const result = await buildFashion10(dir);
    const zip = readZip(join(dir, 'fashion/data10.zip'));
    const expected: Record<string, number> = {};
    for (const c of FASHION_CLASSES) expected[`train/${c}`] = 300;
    for (const c of FASHION_CLASSES) expected[`validation/${c}`] = 100;
    expect(countsOf(zip)).toEqual(expected);
    expect(new Set(Object.values(zip).map(sha)).size).toBe(4000);
    const first = Object.values(zip)[0] as Uint8Array;
    const png = PNG.sync.read(Buffer.from(first));
    expect([png.width, png.height]).toEqual([28, 28]);
    expect(result.outputs[0]?.sha256).toBe(sha(readFileSync(join(dir, 'fashion/data10.zip'))));
  });
});

describe('photo sets from Tux Paint stamps', () => {
  it('finds the Debian package files', () => {
    requireStamps();
  });

  it('photos/data.zip splits every category 80/20 with no file in both splits', async () => {
    requireStamps();
    const dir = tempDir();
    await buildPhotos(dir);
    const zip = readZip(join(dir, 'photos/data.zip'));
    const counts = countsOf(zip);
    for (const cat of Object.keys(PHOTO_CATEGORIES)) {
      const train = counts[`train/${cat}`] ?? 0;
      const validation = counts[`validation/${cat}`] ?? 0;
      expect(train, cat).toBeGreaterThanOrEqual(20);
      expect(validation, cat).toBe(Math.floor((train + validation) / 5));
    }
    const hashes = Object.values(zip).map(sha);
    expect(new Set(hashes).size).toBe(hashes.length);
    for (const [name, bytes] of Object.entries(zip)) {
      expect(name).toMatch(/\.png$/);
      expect(Buffer.from(bytes.subarray(1, 4)).toString('latin1'), name).toBe('PNG');
    }
  });

  it('tutorial JPEGs (a small slice) are distinct, 150–500 px, and deterministic', async () => {
    requireStamps();
    const counts = { train: 8, validation: 4 };
    const a = tempDir();
    const b = tempDir();
    await buildTutorial(a, { counts, workers: 0 });
    await buildTutorial(b, { counts, workers: 1 });
    const zipA = readFileSync(join(a, 'tutorial/data.zip'));
    expect(sha(zipA)).toBe(sha(readFileSync(join(b, 'tutorial/data.zip'))));
    const zip = unzipSync(zipA);
    expect(countsOf(zip)).toEqual({
      'train/animals': 8,
      'train/food': 8,
      'validation/animals': 4,
      'validation/food': 4,
    });
    expect(new Set(Object.values(zip).map(sha)).size).toBe(24);
    for (const [name, bytes] of Object.entries(zip)) {
      const img = jpeg.decode(bytes, { useTArray: true });
      for (const side of [img.width, img.height]) {
        expect(side, name).toBeGreaterThanOrEqual(150);
        expect(side, name).toBeLessThanOrEqual(500);
      }
    }
  });
});

describe('PNG writer', () => {
  it('round-trips grey, grey+alpha, RGB and RGBA through pngjs', () => {
    for (const channels of [1, 2, 3, 4] as const) {
      const w = 7;
      const h = 5;
      const pixels = Uint8Array.from({ length: w * h * channels }, (_, i) => (i * 37 + channels) & 0xff);
      const png = PNG.sync.read(Buffer.from(encodePng(w, h, channels, pixels)));
      expect([png.width, png.height]).toEqual([w, h]);
      for (let p = 0; p < w * h; p++) {
        const px = pixels.subarray(p * channels, (p + 1) * channels);
        const rgba =
          channels === 1 ? [px[0], px[0], px[0], 255]
          : channels === 2 ? [px[0], px[0], px[0], px[1]]
          : channels === 3 ? [px[0], px[1], px[2], 255]
          : [...px];
        expect([...png.data.subarray(p * 4, p * 4 + 4)], `channels ${channels} pixel ${p}`).toEqual(rgba);
      }
    }
  });
});
