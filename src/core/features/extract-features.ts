import * as tf from '@tensorflow/tfjs';
import { createPacer } from '../dataset/pacer';
import type { DecodeImage, ReadImages } from '../preprocess/pixels';
import type { FeatureExtractor } from './extractor';

export interface ExtractProgress {
  /** Images done (features stored, or failed to decode) of `total`. */
  done: number;
  total: number;
  elapsedMs: number;
}

export interface ExtractOptions {
  signal?: AbortSignal;
  onProgress?: (progress: ExtractProgress) => void;
}

export interface ExtractResult {
  /** Images that did not decode: left out, like the pixel cache leaves them out. */
  failures: { sha256: string; reason: string }[];
}

/** Images per backbone call; rows are stored after each, so Cancel keeps what is done. */
export const EXTRACT_BATCH = 32;

/** One batch's images decoded, and those that did not decode. */
interface DecodedBatch {
  good: { sha256: string; rgba: Uint8ClampedArray }[];
  failures: ExtractResult['failures'];
}

/**
 * Runs the backbone over the images `shas` (decoded at the extractor's size,
 * scaled to [0, 1]) and hands each batch's rows to `save` before the next
 * batch starts: cancelling keeps every finished batch, and a later run
 * computes only the rest. The next batch is read and decoded while this one
 * runs through the backbone (the browser decodes off this thread), so
 * decoding costs little time of its own.
 */
export async function extractFeatures(
  extractor: FeatureExtractor,
  shas: readonly string[],
  readImages: ReadImages,
  decode: DecodeImage,
  save: (rows: [string, Float32Array][]) => Promise<void>,
  options: ExtractOptions = {},
): Promise<ExtractResult> {
  const { signal, onProgress } = options;
  const unique = [...new Set(shas)];
  const failures: ExtractResult['failures'] = [];
  const pace = createPacer();
  const started = performance.now();
  const prepare = (start: number) => {
    const batch = unique.slice(start, start + EXTRACT_BATCH);
    const decoding = readImages(batch).then((blobs) => decodeBatch(decode, batch, blobs, extractor.size));
    decoding.catch(() => undefined); // awaited in turn unless the loop ends first
    return decoding;
  };
  let next = prepare(0);
  for (let start = 0; start < unique.length; start += EXTRACT_BATCH) {
    signal?.throwIfAborted();
    const { good, failures: failed } = await next;
    if (start + EXTRACT_BATCH < unique.length) next = prepare(start + EXTRACT_BATCH);
    failures.push(...failed);
    signal?.throwIfAborted();
    if (good.length > 0) await save(await featureRows(extractor, good));
    onProgress?.({ done: Math.min(start + EXTRACT_BATCH, unique.length), total: unique.length, elapsedMs: performance.now() - started });
    await pace();
  }
  return { failures };
}

async function decodeBatch(decode: DecodeImage, batch: string[], blobs: Map<string, Blob>, size: number): Promise<DecodedBatch> {
  const decoded = await Promise.all(batch.map((sha256) => decodeOne(decode, blobs.get(sha256), size)));
  const result: DecodedBatch = { good: [], failures: [] };
  decoded.forEach((outcome, i) => {
    if ('failure' in outcome) result.failures.push({ sha256: batch[i]!, reason: outcome.failure });
    else result.good.push({ sha256: batch[i]!, rgba: outcome.rgba });
  });
  return result;
}

async function decodeOne(decode: DecodeImage, blob: Blob | undefined, size: number): Promise<{ rgba: Uint8ClampedArray } | { failure: string }> {
  try {
    if (!blob) throw new Error('the image is missing from the store');
    return { rgba: (await decode(blob, size)).rgba };
  } catch (error) {
    return { failure: (error as Error).message || 'the image could not be decoded' };
  }
}

/** One batch through the backbone: [n, size, size, 3] in [0, 1] → one Float32Array per image. */
async function featureRows(extractor: FeatureExtractor, images: { sha256: string; rgba: Uint8ClampedArray }[]): Promise<[string, Float32Array][]> {
  const { size, dims } = extractor;
  const scaled = new Float32Array(images.length * size * size * 3);
  // RGB of RGBA, scaled as batchImages scales the convnet's inputs (value / 255, rounded to float32).
  let at = 0;
  for (const { rgba } of images) {
    for (let src = 0; src < rgba.length; src += 4) {
      scaled[at++] = rgba[src]! / 255;
      scaled[at++] = rgba[src + 1]! / 255;
      scaled[at++] = rgba[src + 2]! / 255;
    }
  }
  const output = tf.tidy(() => extractor.features(tf.tensor4d(scaled, [images.length, size, size, 3])));
  try {
    const values = (await output.data()) as Float32Array;
    return images.map((image, i) => [image.sha256, values.slice(i * dims, (i + 1) * dims)]);
  } finally {
    output.dispose();
  }
}
