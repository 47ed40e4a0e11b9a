import type { Dataset } from '../objects/types';
import type { Store } from '../store';
import { buildPixelCache, pixelCacheKey, type DecodeImage, type PixelCache } from './pixels';

/** The training size used until the user picks another (issue: "Image size", default 64). */
export const DEFAULT_IMAGE_SIZE = 64;

// Points at the most recent cache of each size, so the next data set reuses its images.
const latestKey = (size: number) => `pixels/${size}/latest`;

export interface PreparePixelsOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Returns the pixel cache of a data set at one image size, from the derived
 * store when it is there, else decoding only the images the latest cache of
 * that size lacks. Older caches of that size are dropped: they are derived
 * data and cheap to rebuild from the stored images.
 */
export async function preparePixels(
  store: Store,
  datasetId: string,
  dataset: Dataset,
  size: number,
  decode: DecodeImage,
  options: PreparePixelsOptions = {},
): Promise<PixelCache> {
  const key = pixelCacheKey(datasetId, size);
  const cached = (await store.getDerived(key)) as PixelCache | undefined;
  if (cached) return cached;
  const latestId = (await store.getDerived(latestKey(size))) as string | undefined;
  const previous = latestId ? ((await store.getDerived(pixelCacheKey(latestId, size))) as PixelCache | undefined) : undefined;
  const sha256s = dataset.entries.map((entry) => entry.sha256);
  const cache = await buildPixelCache(datasetId, sha256s, (shas) => store.getBlobs(shas), size, decode, { ...options, reuse: previous });
  await store.updateDerived({
    put: [
      [key, cache],
      [latestKey(size), datasetId],
    ],
    delete: latestId && latestId !== datasetId ? [pixelCacheKey(latestId, size)] : [],
  });
  return cache;
}
