// The tfjs side of bench:gpu: Pawprint's own training loop and inference pass
// (src/core/train, unchanged) on whatever tfjs backend is active, over random pixels.
//
// Data: a PixelCache of random uint8 images (64 distinct ones, reused by the examples), the
// structure the app trains from. Not random tensors: trainModel and predictInBatches then do
// per batch exactly what the app does (copy the batch's uint8 rows, scale to float32 [0, 1],
// upload, trainOnBatch with loss and accuracy read back; predict with the probabilities read
// back), so the figures are the app's, not a bare kernel rate.
import type { PixelCache } from '../../src/core/preprocess/pixels';
import { pixelInputs } from '../../src/core/train/inputs';
import { buildReferenceConvnet } from '../../src/core/train/model';
import { DEFAULT_PARAMS, type TrainParams } from '../../src/core/train/params';
import { predictInBatches } from '../../src/core/train/predict';
import { trainModel } from '../../src/core/train/train';
import type { Example } from '../../src/core/train/types';
import { fillRandom } from '../lib/prng.mjs';

/** Distinct random images in the cache; examples cycle through them. */
export const DISTINCT_IMAGES = 64;

export interface Shape {
  size: number;
  batch: number;
  classes: number;
}

export interface Counts {
  steps: number;
  warmup: number;
  runs: number;
  inferenceBatches: number;
}

/** One timed run: training images/s (trainModel's own figure) and inference images/s. */
export interface TimedRun {
  train: number;
  inference: number;
  /** The run's training loss: finite and positive, or the GPU computed garbage. */
  loss: number;
}

/** A pixel cache of `DISTINCT_IMAGES` random size×size RGB images, as preparePixels would build. */
export function randomPixelCache(size: number, seed: number): PixelCache {
  const pixels = fillRandom(new Uint8Array(DISTINCT_IMAGES * size * size * 3), seed);
  return {
    datasetId: `random-${size}`,
    size,
    channels: 3,
    sha256: Array.from({ length: DISTINCT_IMAGES }, (_, i) => `random-image-${i}`),
    originalSizes: Array.from({ length: DISTINCT_IMAGES }, (): [number, number] => [size, size]),
    pixels,
    failures: [],
  };
}

/** `count` examples over the cache's images, each image with a fixed class. */
export function examplesOf(cache: PixelCache, count: number, classes: number): Example[] {
  return Array.from({ length: count }, (_, i) => {
    const row = i % cache.sha256.length;
    return { sha256: cache.sha256[row]!, label: row % classes };
  });
}

/**
 * Warm-up (one trainModel run of `warmup` steps, whose validation pass also compiles the
 * inference kernels), then `runs` timed runs, each: trainModel over `steps` batches (its
 * imagesPerSecond: time in training steps only) and predictInBatches over `inferenceBatches`
 * batches with every batch's probabilities read back (wall time of the whole pass).
 */
export async function measureTfjs({ size, batch, classes }: Shape, counts: Counts): Promise<TimedRun[]> {
  const cache = randomPixelCache(size, 0x5eed + size);
  const inputs = pixelInputs(cache);
  const params: TrainParams = { ...DEFAULT_PARAMS, imageSize: size, epochs: 1, batchSize: batch };
  const validation = examplesOf(cache, batch, classes);
  const signal = new AbortController().signal;
  const model = buildReferenceConvnet({ imageSize: size, classes, seed: params.seed });
  const train = (steps: number) => trainModel({ model, inputs, train: examplesOf(cache, steps * batch, classes), validation, classes, params, signal });
  try {
    if (counts.warmup > 0) await train(counts.warmup);
    const runs: TimedRun[] = [];
    for (let run = 0; run < counts.runs; run++) {
      const result = await train(counts.steps);
      const loss = result.history[0]?.loss ?? NaN;
      if (!(Number.isFinite(loss) && loss > 0)) throw new Error(`training gave loss ${loss} at ${size} px: the backend computed garbage`);
      const examples = examplesOf(cache, counts.inferenceBatches * batch, classes);
      let bad = 0;
      const started = performance.now();
      await predictInBatches(model, inputs, examples, { batchSize: batch }, (_, probabilities) => {
        for (let i = 0; i < probabilities.length; i += classes) {
          let sum = 0;
          for (let c = 0; c < classes; c++) sum += probabilities[i + c]!;
          if (!(Math.abs(sum - 1) < 1e-3)) bad += 1;
        }
      });
      const inferenceMs = performance.now() - started;
      if (bad > 0) throw new Error(`inference gave ${bad} rows of probabilities that do not sum to 1 at ${size} px`);
      runs.push({ train: result.imagesPerSecond, inference: examples.length / (inferenceMs / 1000), loss });
    }
    return runs;
  } finally {
    model.dispose();
  }
}
