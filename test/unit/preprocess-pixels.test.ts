import { describe, expect, it } from 'vitest';
import { readWorkspace } from '../../src/core/dataset/workspace';
import { buildPixelCache, DECODE_CONCURRENCY, pixelCacheKey, rgbaToRgb, type BuildPixelCacheOptions, type DecodeImage } from '../../src/core/preprocess/pixels';
import { preparePixels } from '../../src/core/preprocess/prepare';
import { freshStore, ingest, storeImages } from './versions-fixtures';

/** A fake decoder: every pixel gets the first byte of the blob as its colour; "bad" blobs fail. */
const fakeDecode: DecodeImage = async (blob, size) => {
  const bytes = new Uint8Array(await blob.arrayBuffer());
  if (bytes[0] === 0) throw new Error('not an image');
  const rgba = new Uint8ClampedArray(size * size * 4).map((_, i) => (i % 4 === 3 ? 255 : bytes[0]! + (i % 4)));
  return { rgba, width: 100 + bytes[0]!, height: 50 };
};

const image = (sha256: string, first: number) => ({ sha256, blob: new Blob([new Uint8Array([first])]) });

/** buildPixelCache's arguments for a list of fake images: their hashes and a reader over them. */
type FakeImage = ReturnType<typeof image>;
const build = (id: string, images: FakeImage[], size: number, decode: DecodeImage, options: BuildPixelCacheOptions = {}) => {
  const byHash = new Map(images.map((i) => [i.sha256, i.blob]));
  const read = async (shas: string[]) => new Map(shas.map((sha) => [sha, byHash.get(sha)!]));
  return buildPixelCache(id, images.map((i) => i.sha256), read, size, decode, options);
};

describe('pixel cache', () => {
  it('drops alpha and keeps RGB order', () => {
    const out = new Uint8Array(7);
    rgbaToRgb(new Uint8ClampedArray([1, 2, 3, 4, 5, 6, 7, 8]), out, 1);
    expect(Array.from(out)).toEqual([0, 1, 2, 3, 5, 6, 7]);
  });

  it('packs size×size×3 uint8 per image in order, decoding shared content once', async () => {
    let decodes = 0;
    const counting: DecodeImage = (blob, size) => {
      decodes += 1;
      return fakeDecode(blob, size);
    };
    const cache = await build('ds1', [image('a', 10), image('b', 20), image('a', 10)], 2, counting);
    expect(decodes).toBe(2);
    expect(cache.sha256).toEqual(['a', 'b']);
    expect(cache.pixels).toBeInstanceOf(Uint8Array);
    expect(cache.pixels.length).toBe(2 * 2 * 2 * 3);
    expect(Array.from(cache.pixels.slice(0, 3))).toEqual([10, 11, 12]);
    expect(Array.from(cache.pixels.slice(12, 15))).toEqual([20, 21, 22]);
    expect(cache.originalSizes).toEqual([[110, 50], [120, 50]]);
  });

  it('copies images an earlier cache of the same size holds instead of decoding them again', async () => {
    const v1 = await build('v1', [image('a', 10), image('b', 20)], 2, fakeDecode);
    const decoded: string[] = [];
    const tracking: DecodeImage = async (blob, size) => {
      decoded.push(String(new Uint8Array(await blob.arrayBuffer())[0]));
      return fakeDecode(blob, size);
    };
    const v2 = await build('v2', [image('b', 20), image('c', 30), image('a', 10)], 2, tracking, { reuse: v1 });
    expect(decoded).toEqual(['30']);
    expect(v2.sha256).toEqual(['b', 'c', 'a']);
    const fresh = await build('v2', [image('b', 20), image('c', 30), image('a', 10)], 2, fakeDecode);
    expect(v2.pixels).toEqual(fresh.pixels);
    expect(v2.originalSizes).toEqual(fresh.originalSizes);
    const otherSize = await build('v2', [image('a', 10)], 3, tracking, { reuse: v1 });
    expect(otherSize.pixels.length).toBe(27);
    expect(decoded).toEqual(['30', '10']);
  });

  it('reports undecodable images and leaves them out instead of failing', async () => {
    const cache = await build('ds1', [image('a', 10), image('bad', 0)], 1, fakeDecode);
    expect(cache.sha256).toEqual(['a']);
    expect(cache.pixels.length).toBe(3);
    expect(cache.failures).toEqual([{ sha256: 'bad', reason: 'not an image' }]);
  });

  it('stops when aborted, between windows of parallel decodes', async () => {
    const controller = new AbortController();
    const progress: number[] = [];
    const images = Array.from({ length: 3 * DECODE_CONCURRENCY }, (_, i) => image(`s${i}`, i + 1));
    const run = build('ds1', images, 1, fakeDecode, {
      signal: controller.signal,
      onProgress: (done) => {
        progress.push(done);
        if (progress.length === 1) controller.abort();
      },
    });
    await expect(run).rejects.toThrow(/abort/i);
    expect(progress).toEqual([DECODE_CONCURRENCY]);
  });

  it('reads the images a chunk at a time, the next chunk while the current one decodes', async () => {
    const images = Array.from({ length: 20 * DECODE_CONCURRENCY }, (_, i) => image(`s${i}`, (i % 250) + 1));
    const byHash = new Map(images.map((i) => [i.sha256, i.blob]));
    const events: string[] = [];
    const read = async (shas: string[]) => {
      events.push(`read ${shas.length}`);
      return new Map(shas.map((sha) => [sha, byHash.get(sha)!]));
    };
    const decode: DecodeImage = (blob, size) => {
      events.push('decode');
      return fakeDecode(blob, size);
    };
    const cache = await buildPixelCache('ds1', images.map((i) => i.sha256), read, 1, decode);
    expect(cache.sha256).toHaveLength(images.length);
    const reads = events.filter((event) => event.startsWith('read'));
    // Far fewer reads than decode windows, and the second is on its way before the first image decodes.
    expect(reads.length).toBeGreaterThan(1);
    expect(reads.length).toBeLessThan(images.length / DECODE_CONCURRENCY / 2);
    expect(events.indexOf(reads[1]!)).toBeLessThan(events.indexOf('decode'));
  });

  it('decodes several images at once but keeps their order', async () => {
    let inFlight = 0;
    let most = 0;
    const slow: DecodeImage = async (blob, size) => {
      inFlight += 1;
      most = Math.max(most, inFlight);
      await new Promise((resolve) => setTimeout(resolve, 5));
      inFlight -= 1;
      return fakeDecode(blob, size);
    };
    const images = Array.from({ length: 10 }, (_, i) => image(`s${i}`, i + 1));
    const cache = await build('ds1', images, 1, slow);
    expect(most).toBeGreaterThan(1);
    expect(cache.sha256).toEqual(images.map((i) => i.sha256));
    expect(Array.from(cache.pixels.filter((_, i) => i % 3 === 0))).toEqual(images.map((_, i) => i + 1));
  });

  it('keys the cache by image size and data set', () => {
    expect(pixelCacheKey('abc', 64)).not.toBe(pixelCacheKey('abc', 150));
    expect(pixelCacheKey('abc', 64)).not.toBe(pixelCacheKey('abd', 64));
  });
});

describe('preparePixels: an interrupted check resumes where it stopped', () => {
  it('keeps parts as it decodes; the next run decodes only the rest, gives the same cache, and drops the parts', async () => {
    const store = await freshStore();
    const images = await storeImages(store, 'train', 'cats', 1500);
    const datasetId = await ingest(store, images);
    const { dataset } = await readWorkspace(store);
    let decodes = 0;
    const controller = new AbortController();
    const stopping: DecodeImage = async (blob, size) => {
      if (++decodes === 1400) controller.abort();
      return fakeDecode(blob, size);
    };
    await expect(preparePixels(store, datasetId, dataset!, 64, stopping, { signal: controller.signal })).rejects.toThrow();
    const parts = await store.derivedKeys(`pixels/64/${datasetId}/part-`);
    expect(parts.length, 'a part per ~8 MiB of 64 px images').toBe(2);
    const held = ((await store.getDerivedMany(parts)) as { sha256: string[] }[]).reduce((total, part) => total + part.sha256.length, 0);
    expect(held).toBeGreaterThan(1300);

    decodes = 0;
    const said: number[] = [];
    const resumed = await preparePixels(store, datasetId, dataset!, 64, stopping, { onResume: (decodedBefore) => said.push(decodedBefore) });
    expect(decodes, 'images the parts held are not decoded again').toBe(1500 - held);
    expect(said, 'the check says it resumes, and from how many images').toEqual([held]);
    expect(await store.derivedKeys(`pixels/64/${datasetId}/part-`)).toEqual([]);
    const fresh = await buildPixelCache(datasetId, dataset!.entries.map((entry) => entry.sha256), (shas) => store.getBlobs(shas), 64, fakeDecode);
    expect(resumed.sha256).toEqual(fresh.sha256);
    // Compared as bytes: vitest's toEqual walks an 18 MB typed array element by element and ran out of heap.
    expect(Buffer.from(resumed.pixels).equals(Buffer.from(fresh.pixels)), 'the same pixels as a check that never stopped').toBe(true);
    expect(await store.getDerived(`pixels/64/${datasetId}`)).toBeDefined();
  });
});
