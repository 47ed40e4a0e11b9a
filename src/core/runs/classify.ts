import * as tf from '@tensorflow/tfjs';

export interface Classification {
  /** Every class with its probability, most likely first. */
  probabilities: { label: string; probability: number }[];
  /** The prediction plus reading the result back, in ms. */
  latencyMs: number;
}

/** Images [b, size, size, 3] in [0, 1] → class probabilities [b, classes]: a convnet, or a backbone and its head. */
export type Predict = (images: tf.Tensor4D) => tf.Tensor;

/** Classifies one image given as size×size RGBA (as the pixel cache's decoder gives it). */
export async function classifyImage(predict: Predict, rgba: Uint8ClampedArray, size: number, classNames: readonly string[]): Promise<Classification> {
  const started = performance.now();
  const input = tf.tidy(() => tf.browser.fromPixels({ data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength), width: size, height: size }, 3).toFloat().div(255).expandDims(0));
  let values: Float32Array;
  try {
    const output = tf.tidy(() => predict(input as tf.Tensor4D));
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
