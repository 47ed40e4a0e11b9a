import * as tf from '@tensorflow/tfjs';
import { createPacer } from '../dataset/pacer';
import { epochBatches, makeBatch } from './batches';
import { dropoutLayers } from './dropout-seeds';
import type { ModelInputs } from './inputs';
import { compileForTraining } from './model';
import type { TrainParams } from './params';
import { STREAMS, randomUint32, streamOf } from './random';
import { scoreExamples } from './validate';
import type { Example, HistoryRow } from './types';

/** Progress after each training batch: enough for a progress bar, images/s and an ETA. */
export interface BatchProgress {
  /** 0-based. */
  epoch: number;
  /** 0-based index of the batch just finished within this epoch. */
  batch: number;
  /** Batches per epoch. */
  batches: number;
  /** Images trained on so far in this run, over all epochs. */
  images: number;
  elapsedMs: number;
}

export interface TrainOptions {
  /** Built, not yet trained; trainModel compiles it with Adam(params.learningRate). */
  model: tf.LayersModel;
  /** The images' pixels, or their cached features: whatever `model` takes. */
  inputs: ModelInputs;
  train: readonly Example[];
  validation: readonly Example[];
  classes: number;
  params: TrainParams;
  signal: AbortSignal;
  onBatch?: (progress: BatchProgress) => void;
  onEpoch?: (row: HistoryRow) => void;
}

export interface TrainResult {
  /** Whole epochs only: an epoch stopped half-way is not reported. */
  history: HistoryRow[];
  stopped: boolean;
  durationMs: number;
  /** Training images per second of time spent in training steps (validation passes excluded). */
  imagesPerSecond: number;
}

/**
 * Trains `model` in place: per epoch, a seeded shuffle, one optimizer step per
 * batch, then a pass over the validation images. When `signal` aborts, the
 * loop stops before the next batch (a batch under way finishes) and returns the
 * epochs completed so far with `stopped: true`. Every batch's tensors are
 * disposed, and the optimizer's state at the end, so `tf.memory().numTensors`
 * is the same after every epoch and back to the model's own weights at the end.
 * Yields to the event loop between batches so a worker still receives a Stop.
 */
export async function trainModel(options: TrainOptions): Promise<TrainResult> {
  const { model, inputs, train, validation, classes, params, signal, onBatch, onEpoch } = options;
  const shuffleRandom = streamOf(params.seed, STREAMS.shuffle);
  const augmentRandom = streamOf(params.seed, STREAMS.augment);
  const dropoutRandom = streamOf(params.seed, STREAMS.dropout);
  const dropouts = dropoutLayers(model);
  const builtSeeds = dropouts.map((layer) => layer.seed);
  const pace = createPacer();
  const history: HistoryRow[] = [];
  const started = performance.now();
  let images = 0;
  let trainingMs = 0;
  let stopped = false;

  compileForTraining(model, params.learningRate);
  try {
    for (let epoch = 0; epoch < params.epochs; epoch++) {
      const batches = epochBatches(train, params.batchSize, shuffleRandom);
      let lossSum = 0;
      let accuracySum = 0;
      for (const [index, examples] of batches.entries()) {
        signal.throwIfAborted();
        for (const layer of dropouts) layer.seed = randomUint32(dropoutRandom);
        const stepStarted = performance.now();
        const batch = makeBatch(inputs, examples, classes, params.augment, augmentRandom);
        try {
          const [loss, accuracy] = (await model.trainOnBatch(batch.xs, batch.ys)) as number[];
          lossSum += loss! * examples.length;
          accuracySum += accuracy! * examples.length;
        } finally {
          tf.dispose(batch);
        }
        trainingMs += performance.now() - stepStarted;
        images += examples.length;
        onBatch?.({ epoch, batch: index, batches: batches.length, images, elapsedMs: performance.now() - started });
        await pace();
      }
      const scores = await scoreExamples(model, inputs, validation, classes, { batchSize: params.batchSize, signal });
      const row: HistoryRow = {
        epoch,
        accuracy: accuracySum / train.length,
        loss: lossSum / train.length,
        val_accuracy: scores.accuracy,
        val_loss: scores.loss,
      };
      history.push(row);
      onEpoch?.(row);
    }
  } catch (error) {
    if (!signal.aborted) throw error;
    stopped = true;
  } finally {
    dropouts.forEach((layer, i) => (layer.seed = builtSeeds[i]));
    model.optimizer.dispose();
  }
  return {
    history,
    stopped,
    durationMs: performance.now() - started,
    imagesPerSecond: trainingMs > 0 ? images / (trainingMs / 1000) : 0,
  };
}
