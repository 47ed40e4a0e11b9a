import * as tf from '@tensorflow/tfjs';

export const PRETRAINED_FEATURES = 'pretrained-features';

/** The head's layer names: distinct from any backbone's (Keras, MobileNet), so the two join into one model. */
export const HEAD_LAYERS = ['head_dense', 'head_dropout', 'head_output'] as const;

/**
 * The DVC tutorial's top model on bottleneck features: (Flatten →) Dense 256
 * ReLU → Dropout 0.5 → Dense(classes, softmax), seeded like the reference
 * convnet (Glorot-uniform kernels, seed + layer index; zero biases). The
 * features are already one vector per image (averaged over positions), so the
 * tutorial's Flatten would change nothing, and tfjs' Flatten refuses a vector.
 */
export function buildFeatureHead({ dims, classes, seed }: { dims: number; classes: number; seed: number }): tf.Sequential {
  const model = tf.sequential({ name: PRETRAINED_FEATURES });
  const init = () => ({ kernelInitializer: tf.initializers.glorotUniform({ seed: seed + model.layers.length }) });
  const [dense, dropout, output] = HEAD_LAYERS;
  model.add(tf.layers.dense({ name: dense, inputShape: [dims], units: 256, activation: 'relu', ...init() }));
  model.add(tf.layers.dropout({ name: dropout, rate: 0.5, seed: seed + model.layers.length }));
  model.add(tf.layers.dense({ name: output, units: classes, activation: 'softmax', ...init() }));
  return model;
}
