import * as tf from '@tensorflow/tfjs';
import { tryBackend } from '../runtime/backend';
import type { BackendName } from '../runtime/backend-names';
import { buildReferenceConvnet, compileForTraining } from '../train/model';
import type { ProbeRates } from './choose-backend';

export interface ProbeShape {
  imageSize: number;
  classes: number;
  batchSize: number;
}

/** Timed steps per backend after one untimed warm-up step (shader compilation, wasm start-up). */
const TIMED_STEPS = 2;

/**
 * Measures training images/s of the reference convnet on random data on each
 * backend: a few steps, enough to rank backends that differ several-fold.
 * Leaves no tensors behind; the last backend probed stays active.
 */
export async function probeBackends(names: readonly BackendName[], shape: ProbeShape, signal?: AbortSignal): Promise<ProbeRates> {
  const rates: ProbeRates = {};
  for (const name of names) {
    signal?.throwIfAborted();
    if (!(await tryBackend(name))) continue;
    rates[name] = await probeRate(shape);
  }
  return rates;
}

/** Training images/s of the reference convnet on the active backend, from a few steps on random data. */
export async function probeRate({ imageSize, classes, batchSize }: ProbeShape): Promise<number> {
  const model = buildReferenceConvnet({ imageSize, classes, seed: 1 });
  compileForTraining(model, 1e-3);
  const xs = tf.randomUniform([batchSize, imageSize, imageSize, 3]);
  const ys = tf.oneHot(tf.zeros([batchSize], 'int32') as tf.Tensor1D, classes);
  try {
    await model.trainOnBatch(xs, ys);
    const started = performance.now();
    for (let step = 0; step < TIMED_STEPS; step++) await model.trainOnBatch(xs, ys);
    return (TIMED_STEPS * batchSize) / ((performance.now() - started) / 1000);
  } finally {
    tf.dispose([xs, ys]);
    model.optimizer.dispose();
    model.dispose();
  }
}
