import * as tf from '@tensorflow/tfjs-core';

export interface Classification {
  /** Every class with its probability, most likely first. */
  probabilities: { label: string; probability: number }[];
  /** The prediction plus reading the result back, in ms. */
  latencyMs: number;
}

/** Images [b, size, size, 3] in [0, 1] → class probabilities [b, classes]: a convnet, or a backbone and its head. */
export type Predict = (images: tf.Tensor4D) => tf.Tensor;

/**
 * The model's softmax output for one image given as size×size RGBA (as the pixel cache's
 * decoder gives it), preprocessed as training did: RGB scaled to [0, 1]. The page, batch
 * predict and the deployed app all classify through this one function.
 */
export async function predictImage(predict: Predict, rgba: Uint8ClampedArray, size: number): Promise<Float32Array> {
  // Functional ops, not chained ones (tensor.div…): tfjs-core alone, as the deployed app bundles it, has no chained ops.
  const input = tf.tidy(() => {
    const pixels = tf.browser.fromPixels({ data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength), width: size, height: size }, 3);
    return tf.expandDims(tf.div(tf.cast(pixels, 'float32'), 255), 0) as tf.Tensor4D;
  });
  try {
    const output = tf.tidy(() => predict(input));
    try {
      return (await output.data()) as Float32Array;
    } finally {
      output.dispose();
    }
  } finally {
    input.dispose();
  }
}

/** Classifies one image: every class with its probability, most likely first. */
export async function classifyImage(predict: Predict, rgba: Uint8ClampedArray, size: number, classNames: readonly string[]): Promise<Classification> {
  const started = performance.now();
  const values = await predictImage(predict, rgba, size);
  const latencyMs = performance.now() - started;
  const probabilities = classNames
    .map((label, index) => ({ label, probability: values[index] ?? 0 }))
    .sort((a, b) => b.probability - a.probability);
  return { probabilities, latencyMs };
}
