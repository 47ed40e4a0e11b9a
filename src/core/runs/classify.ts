import * as tf from '@tensorflow/tfjs';

export interface Classification {
  /** Every class with its probability, most likely first. */
  probabilities: { label: string; probability: number }[];
  /** model.predict plus reading the result back, in ms. */
  latencyMs: number;
}

/** Classifies one image given as size×size RGBA (as the pixel cache's decoder gives it). */
export async function classifyImage(model: tf.LayersModel, rgba: Uint8ClampedArray, size: number, classNames: readonly string[]): Promise<Classification> {
  const started = performance.now();
  const input = tf.tidy(() => tf.browser.fromPixels({ data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength), width: size, height: size }, 3).toFloat().div(255).expandDims(0));
  let values: Float32Array;
  try {
    const output = model.predict(input) as tf.Tensor;
    try {
      values = (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  } finally {
    input.dispose();
  }
  const latencyMs = performance.now() - started;
  const probabilities = classNames
    .map((label, index) => ({ label, probability: values[index] ?? 0 }))
    .sort((a, b) => b.probability - a.probability);
  return { probabilities, latencyMs };
}
