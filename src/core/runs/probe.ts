import * as tf from '@tensorflow/tfjs';
import { isSoftwareRenderer, type AdapterSummary } from '../runtime/adapter';
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

/** The probe's shape when every GPU backend is emulated on the CPU (see probeShape). */
const SOFTWARE_PROBE = { imageSize: 32, batchSize: 8 };

/**
 * Whether every GPU backend here runs on the CPU: WebGPU on a fallback adapter (or not
 * available), WebGL on a software renderer (or not available). `glRenderer`: WebGL's
 * renderer string, null where WebGL is not among `available` or does not say.
 */
export function gpuIsSoftware(adapter: AdapterSummary, available: readonly BackendName[], glRenderer: string | null): boolean {
  const webgpuSoftware = !available.includes('webgpu') || !adapter.available || adapter.isFallback;
  const webglSoftware = !available.includes('webgl') || (glRenderer !== null && isSoftwareRenderer(glRenderer));
  return webgpuSoftware && webglSoftware;
}

/**
 * The shape Auto probes at. Where a GPU backend may be real hardware, the run's own shape:
 * a GPU's fixed costs only pay off at size. Where every one is emulated on the CPU
 * (SwiftShader, llvmpipe), all backends are CPU code, the ranking does not depend on size and
 * the emulated ones are 10–100× behind WASM; at the run's shape their three steps took 80–100 s
 * of a 64 px run here (a step of emulated WebGPU is ~15 s), at this small one a few seconds.
 */
export function probeShape(shape: ProbeShape, gpuIsSoftware: boolean): ProbeShape {
  if (!gpuIsSoftware) return shape;
  return { ...shape, imageSize: Math.min(shape.imageSize, SOFTWARE_PROBE.imageSize), batchSize: Math.min(shape.batchSize, SOFTWARE_PROBE.batchSize) };
}

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
