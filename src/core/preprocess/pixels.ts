/**
 * The preprocessing cache: every image of a data set decoded and resized to
 * size×size RGB, packed as one uint8 array in entry order. uint8, not float32,
 * keeps 2 800 images at 150 px to 189 MB instead of 756 MB; training scales to
 * [0, 1] per batch.
 */
export interface PixelCache {
  datasetId: string;
  size: number;
  channels: 3;
  /** sha256 of each image, in the order of `pixels`. */
  sha256: string[];
  /** Each image's size before resizing, [width, height], in the same order. */
  originalSizes: [number, number][];
  pixels: Uint8Array;
  /** Images that did not decode: not in `pixels`, reported to the user. */
  failures: { sha256: string; reason: string }[];
}

export interface DecodedImage {
  /** size×size RGBA, as ImageData gives it. */
  rgba: Uint8ClampedArray;
  width: number;
  height: number;
}

export type DecodeImage = (blob: Blob, size: number) => Promise<DecodedImage>;

export function pixelCacheKey(datasetId: string, size: number): string {
  return `pixels/${size}/${datasetId}`;
}

/** Drops alpha: the decoder has already composited transparent pixels over white. */
export function rgbaToRgb(rgba: Uint8ClampedArray, out: Uint8Array, offset: number): void {
  for (let src = 0, dst = offset; src < rgba.length; src += 4, dst += 3) {
    out[dst] = rgba[src]!;
    out[dst + 1] = rgba[src + 1]!;
    out[dst + 2] = rgba[src + 2]!;
  }
}

export interface BuildPixelCacheOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** An earlier cache of the same size: images it holds are copied, not decoded again. */
  reuse?: PixelCache;
}

/** Decodes each distinct image once (the same bytes under two paths decode once). */
export async function buildPixelCache(
  datasetId: string,
  images: readonly { sha256: string; blob: () => Promise<Blob> }[],
  size: number,
  decode: DecodeImage,
  options: BuildPixelCacheOptions = {},
): Promise<PixelCache> {
  const unique = [...new Map(images.map((image) => [image.sha256, image.blob])).entries()];
  const imageBytes = size * size * 3;
  const packed = new Uint8Array(unique.length * imageBytes);
  const cache: PixelCache = { datasetId, size, channels: 3, sha256: [], originalSizes: [], pixels: packed, failures: [] };
  const reusable = options.reuse?.size === size ? indexCache(options.reuse) : new Map<string, number>();
  for (const [index, [sha, readBlob]] of unique.entries()) {
    options.signal?.throwIfAborted();
    const offset = cache.sha256.length * imageBytes;
    const earlier = reusable.get(sha);
    if (earlier !== undefined && options.reuse) {
      packed.set(options.reuse.pixels.subarray(earlier * imageBytes, (earlier + 1) * imageBytes), offset);
      cache.sha256.push(sha);
      cache.originalSizes.push(options.reuse.originalSizes[earlier]!);
    } else {
      try {
        const decoded = await decode(await readBlob(), size);
        rgbaToRgb(decoded.rgba, packed, offset);
        cache.sha256.push(sha);
        cache.originalSizes.push([decoded.width, decoded.height]);
      } catch (error) {
        if (options.signal?.aborted) throw error;
        cache.failures.push({ sha256: sha, reason: (error as Error).message || 'the image could not be decoded' });
      }
    }
    options.onProgress?.(index + 1, unique.length);
  }
  cache.pixels = packed.slice(0, cache.sha256.length * imageBytes);
  return cache;
}

function indexCache(cache: PixelCache): Map<string, number> {
  return new Map(cache.sha256.map((sha, index) => [sha, index]));
}
