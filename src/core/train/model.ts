import * as tf from '@tensorflow/tfjs';
import { FusedAdam } from './fused-adam';

export const REFERENCE_CONVNET = 'reference-convnet';

export interface ConvnetShape {
  imageSize: number;
  classes: number;
  /** Makes the initial weights (and the dropout layer's base seed) reproducible. */
  seed: number;
}

/**
 * DESIGN.md's reference convnet: Conv 32 → pool → Conv 64 → pool → Conv 128 →
 * pool → Flatten → Dense 128 → Dropout 0.5 → Dense(classes, softmax). Each conv
 * is 3×3 with its ReLU fused in, padding 'valid' (Keras' default, as in its
 * image-classification tutorial and PyTorch's padding=0), pools are 2×2 with
 * stride 2. Every initializer gets its own seed (seed + layer index), so the
 * same seed gives the same weights. Layers are named explicitly: tfjs' default
 * names count up per process, which would change the topology (and the model's
 * hash) from one run to the next.
 */
export function buildReferenceConvnet({ imageSize, classes, seed }: ConvnetShape): tf.Sequential {
  const model = tf.sequential({ name: REFERENCE_CONVNET });
  // Biases start at zero (the default); kernels get Glorot-uniform, seeded by the layer's index.
  const init = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: seed + model.layers.length }) });
  const conv = (name: string, filters: number, inputShape?: number[]) =>
    tf.layers.conv2d({ name, filters, kernelSize: 3, padding: 'valid', activation: 'relu', ...init(), ...(inputShape ? { inputShape } : {}) });
  const pool = (name: string) => tf.layers.maxPooling2d({ name, poolSize: 2, strides: 2 });

  model.add(conv('conv1', 32, [imageSize, imageSize, 3]));
  model.add(pool('pool1'));
  model.add(conv('conv2', 64));
  model.add(pool('pool2'));
  model.add(conv('conv3', 128));
  model.add(pool('pool3'));
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dense({ name: 'dense', units: 128, activation: 'relu', ...init() }));
  model.add(tf.layers.dropout({ name: 'dropout', rate: 0.5, seed: seed + model.layers.length }));
  model.add(tf.layers.dense({ name: 'output', units: classes, activation: 'softmax', ...init() }));
  return model;
}

/**
 * Adam with the given learning rate (β 0.9 / 0.999, ε the backend's, as tf.train.adam; one
 * fused kernel per variable on wasm), categorical cross-entropy on one-hot labels, accuracy as
 * Keras reports it.
 */
export function compileForTraining(model: tf.LayersModel, learningRate: number): void {
  model.compile({ optimizer: new FusedAdam(learningRate, 0.9, 0.999), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
}
