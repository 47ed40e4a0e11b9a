import type { DecodeImage } from '../preprocess/pixels';
import type { MonitoredPrediction, MonitoringError } from '../objects/types';
import { predictImage, type Predict } from '../runs/classify';
import { argMax } from '../train/predict';
import type { BatchItem } from './batch-items';

/** A prediction before its image is stored (the record names the image by its hash). */
export type BatchPrediction = Omit<MonitoredPrediction, 'sha256' | 'size'> & { bytes: Uint8Array };

export interface PredictBatchOptions {
  signal?: AbortSignal;
  onProgress?: (progress: { done: number; total: number }) => void;
}

/**
 * Predicts every image one at a time, as a deployed model answers requests: each image's
 * latency is its own decode, preprocessing, prediction and read-back. An image that does not
 * decode becomes an error naming it; the rest go on.
 */
export async function predictBatch(
  predict: Predict,
  imageSize: number,
  items: readonly BatchItem[],
  decode: DecodeImage,
  options: PredictBatchOptions = {},
): Promise<{ predictions: BatchPrediction[]; errors: MonitoringError[] }> {
  const predictions: BatchPrediction[] = [];
  const errors: MonitoringError[] = [];
  for (const [index, item] of items.entries()) {
    options.signal?.throwIfAborted();
    const begun = performance.now();
    let rgba: Uint8ClampedArray | null = null;
    try {
      rgba = (await decode(new Blob([item.bytes as Uint8Array<ArrayBuffer>]), imageSize)).rgba;
    } catch (error) {
      errors.push({ name: item.name, reason: `could not be decoded (${(error as Error).message || 'the browser cannot read this image'})` });
    }
    if (rgba !== null) {
      const probabilities = Array.from(await predictImage(predict, rgba, imageSize));
      predictions.push({ name: item.name, bytes: item.bytes, label: item.label, predicted: argMax(probabilities), probabilities, latencyMs: performance.now() - begun });
    }
    options.onProgress?.({ done: index + 1, total: items.length });
  }
  return { predictions, errors };
}
