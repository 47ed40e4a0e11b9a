import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { PixelCache } from '../../src/core/preprocess/pixels';
import {
  STREAMS,
  augmentImage,
  epochBatches,
  makeBatch,
  maxShift,
  mulberry32,
  pixelInputs,
  shuffled,
  streamOf,
  type Random,
} from '../../src/core/train';

const SIZE = 8;

/** Pixel (x, y) of image n has RGB (n·100 + y·8 + x, x, y): every position tells where it came from. */
function positions(count: number): PixelCache {
  const pixels = new Uint8Array(count * SIZE * SIZE * 3);
  for (let n = 0; n < count; n++) {
    for (let y = 0; y < SIZE; y++) {
      for (let x = 0; x < SIZE; x++) pixels.set([n * 100 + y * 8 + x, x, y], ((n * SIZE + y) * SIZE + x) * 3);
    }
  }
  return { datasetId: 'd', size: SIZE, channels: 3, sha256: Array.from({ length: count }, (_, n) => `img${n}`), originalSizes: [], pixels, failures: [] };
}

/** A "generator" that replays fixed draws, to force a given flip and shift. */
const scripted = (...draws: number[]): Random => () => {
  const next = draws.shift();
  if (next === undefined) throw new Error('no draws left');
  return next;
};

/** [x, y] of the source pixel each target pixel came from, for image 0. */
function sourceOf(target: Uint8Array, x: number, y: number): [number, number] {
  const at = (y * SIZE + x) * 3;
  return [target[at + 1]!, target[at + 2]!];
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('seeded randomness', () => {
  it('repeats for a seed, differs across seeds and across streams', () => {
    const draw = (random: Random) => Array.from({ length: 5 }, random);
    expect(draw(mulberry32(42))).toEqual(draw(mulberry32(42)));
    expect(draw(mulberry32(42))).not.toEqual(draw(mulberry32(43)));
    expect(draw(streamOf(42, STREAMS.shuffle))).not.toEqual(draw(streamOf(42, STREAMS.split)));
    // Hashing, not adding: seed 42's shuffle is not seed 43's split.
    expect(draw(streamOf(42, STREAMS.split + 1))).not.toEqual(draw(streamOf(43, STREAMS.split)));
    for (const value of draw(mulberry32(7))) expect(value >= 0 && value < 1).toBe(true);
  });

  it('shuffles into a permutation, the same one for the same seed', () => {
    const items = Array.from({ length: 20 }, (_, i) => i);
    const once = shuffled(items, mulberry32(1));
    expect(once).not.toEqual(items);
    expect([...once].sort((a, b) => a - b)).toEqual(items);
    expect(shuffled(items, mulberry32(1))).toEqual(once);
    expect(items[0]).toBe(0);
  });

  it('cuts each epoch into shuffled batches, the last one smaller', () => {
    const random = mulberry32(5);
    const first = epochBatches([...'abcdefg'], 3, random);
    const second = epochBatches([...'abcdefg'], 3, random);
    expect(first.map((batch) => batch.length)).toEqual([3, 3, 1]);
    expect(first.flat().sort()).toEqual([...'abcdefg']);
    expect(second.flat()).not.toEqual(first.flat());
    expect(epochBatches([...'abcdefg'], 3, mulberry32(5))).toEqual(first);
  });
});

describe('makeBatch', () => {
  it('builds float32 images in [0, 1] and one-hot labels from the uint8 cache', async () => {
    const cache = positions(3);
    const { xs, ys } = makeBatch(pixelInputs(cache), [{ sha256: 'img2', label: 1 }, { sha256: 'img0', label: 2 }], 3);
    expect(xs.shape).toEqual([2, SIZE, SIZE, 3]);
    expect(xs.dtype).toBe('float32');
    expect(ys.shape).toEqual([2, 3]);
    expect(ys.dtype).toBe('float32');
    expect(await ys.array()).toEqual([[0, 1, 0], [0, 0, 1]]);
    const values = await xs.data();
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThanOrEqual(1);
    // Image img2, pixel (x 3, y 1): red 200 + 8 + 3.
    expect(values[(1 * SIZE + 3) * 3]).toBeCloseTo(211 / 255, 6);
    expect(values[SIZE * SIZE * 3 + (1 * SIZE + 3) * 3]).toBeCloseTo(11 / 255, 6);
    tf.dispose([xs, ys]);
  });

  it('refuses an image missing from the cache or a label outside the classes, leaving no tensors', () => {
    const cache = positions(1);
    const before = tf.memory().numTensors;
    expect(() => makeBatch(pixelInputs(cache), [{ sha256: 'nope', label: 0 }], 2)).toThrow(/not in the pixel cache/);
    expect(() => makeBatch(pixelInputs(cache), [{ sha256: 'img0', label: 2 }], 2)).toThrow(/not one of the 2 classes/);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('needs a generator to augment', () => {
    const cache = positions(1);
    expect(() => makeBatch(pixelInputs(cache), [{ sha256: 'img0', label: 0 }], 2, { flip: true, shift: false })).toThrow(/random/);
  });
});

describe('augmentation', () => {
  const source = positions(1).pixels;

  it('flips left–right when the draw is below 1/2, and copies otherwise', () => {
    const target = new Uint8Array(source.length);
    augmentImage(source, target, SIZE, { flip: true, shift: false }, scripted(0.2));
    expect(sourceOf(target, 0, 3)).toEqual([7, 3]);
    expect(sourceOf(target, 6, 5)).toEqual([1, 5]);
    augmentImage(source, target, SIZE, { flip: true, shift: false }, scripted(0.7));
    expect(target).toEqual(source);
  });

  it('shifts by up to 10 % with the edge pixels repeated', () => {
    expect([8, 22, 64, 150].map(maxShift)).toEqual([1, 2, 6, 15]);
    const target = new Uint8Array(source.length);
    // Draws 0.99 → dx = +1, 0.0 → dy = −1 (range −1…1 at 8 px).
    augmentImage(source, target, SIZE, { flip: false, shift: true }, scripted(0.99, 0.0));
    expect(sourceOf(target, 3, 4)).toEqual([2, 5]);
    expect(sourceOf(target, 0, 0)).toEqual([0, 1]); // left edge repeated
    expect(sourceOf(target, 5, 7)).toEqual([4, 7]); // bottom edge repeated
  });

  it('flips, then shifts, drawing flip, dx, dy in that order', () => {
    const target = new Uint8Array(source.length);
    augmentImage(source, target, SIZE, { flip: true, shift: true }, scripted(0.1, 0.99, 0.5));
    // Flipped: (x, y) ← (7 − x, y); then moved right by 1: (x, y) ← flipped(x − 1, y).
    expect(sourceOf(target, 3, 2)).toEqual([5, 2]);
    expect(sourceOf(target, 0, 2)).toEqual([7, 2]);
  });

  it('flips about half the images of a seeded run, the same ones for the same seed', () => {
    const flips = (seed: number) => {
      const random = mulberry32(seed);
      const target = new Uint8Array(source.length);
      return Array.from({ length: 400 }, () => {
        augmentImage(source, target, SIZE, { flip: true, shift: false }, random);
        return target[0] === source[(SIZE - 1) * 3];
      });
    };
    const count = flips(9).filter(Boolean).length;
    expect(count).toBeGreaterThan(160);
    expect(count).toBeLessThan(240);
    expect(flips(9)).toEqual(flips(9));
  });
});
