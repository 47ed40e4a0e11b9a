import type { Dataset } from '../objects/types';
import { QuotaExceededError, type Store } from '../store';
import { buildPixelCache, pixelCacheKey, type DecodeImage, type PixelCache } from './pixels';

/** The training size used until the user picks another (issue: "Image size", default 64). */
export const DEFAULT_IMAGE_SIZE = 64;

// Points at the most recent cache of each size, so the next data set reuses its images.
const latestKey = (size: number) => `pixels/${size}/latest`;

export interface PreparePixelsOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
  /** The decoded images could not be kept (the browser's storage is full): they are returned all the same, and decoded again next time. */
  onNotKept?: () => void;
  /** An earlier check of this data set was stopped (a closed tab) and kept this many decoded images: they are not decoded again. */
  onResume?: (decodedBefore: number) => void;
}

/** Parts of a cache still being built, kept as it goes (see onCheckpoint): `pixels/<size>/<data set>/part-<n>`. */
const partPrefix = (datasetId: string, size: number) => `${pixelCacheKey(datasetId, size)}/part-`;

/**
 * Returns the pixel cache of a data set at one image size, from the derived
 * store when it is there, else decoding only the images that neither the
 * latest cache of that size nor the parts kept by an earlier, interrupted
 * build of this one hold: a check stopped by a closed tab resumes where it
 * stopped. Older caches of that size are dropped: they are derived data and
 * cheap to rebuild from the stored images. A cache that does not fit (quota)
 * is returned all the same; onNotKept says so.
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
  const partKeys = await store.derivedKeys(partPrefix(datasetId, size));
  const parts = (await store.getDerivedMany(partKeys)) as (PixelCache | undefined)[];
  const decodedBefore = parts.reduce((total, part) => total + (part?.sha256.length ?? 0), 0);
  if (decodedBefore > 0) options.onResume?.(decodedBefore);
  let keeping = true;
  const notKept = (error: unknown) => {
    // A cache that does not fit is no failure of what asked for the pixels (an import, a training run).
    if (!(error instanceof QuotaExceededError)) throw error;
    if (keeping) options.onNotKept?.();
    keeping = false;
  };
  const written = [...partKeys];
  const onCheckpoint = async (part: PixelCache) => {
    if (!keeping) return;
    const partKey = `${partPrefix(datasetId, size)}${Date.now()}-${written.length}`;
    await store.updateDerived({ put: [[partKey, part]] }).then(() => written.push(partKey), notKept);
  };
  const sha256s = dataset.entries.map((entry) => entry.sha256);
  const cache = await buildPixelCache(datasetId, sha256s, (shas) => store.getBlobs(shas), size, decode, { ...options, reuse: [previous, ...parts], onCheckpoint });
  await store
    .updateDerived({
      put: keeping
        ? [
            [key, cache],
            [latestKey(size), datasetId],
          ]
        : [],
      delete: [...(latestId && latestId !== datasetId ? [pixelCacheKey(latestId, size)] : []), ...written],
    })
    .catch(notKept);
  return cache;
}
