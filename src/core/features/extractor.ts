import * as tf from '@tensorflow/tfjs';
import type { ModelRecord, PretrainedInfo } from '../objects/types';
import { inferencePlan } from './inference-plan';

/** A backbone cut at its feature layer: images in, one feature row per image out. */
export interface FeatureExtractor {
  /** The side of the square images it takes. */
  size: number;
  /** Values per row. */
  dims: number;
  /** Whether the layer gives a map that is averaged over its positions. */
  pooling: 'average' | 'none';
  /** [b, size, size, 3] with pixels in [0, 1] → [b, dims], averaged over positions when the layer has any. */
  features(images: tf.Tensor4D): tf.Tensor2D;
  dispose(): void;
}

/** The input side used when a graph model leaves it open. */
export const DEFAULT_BACKBONE_SIZE = 224;

type Backbone = Pick<ModelRecord, 'modelTopology' | 'weightSpecs' | 'inputShape'> & { pretrained: PretrainedInfo };

/**
 * Builds the extractor of `layer` from a stored backbone and its weights
 * (quantized weights are dequantized by tfjs). Throws when the layer does not
 * exist or gives no usable features.
 */
export async function loadExtractor(backbone: Backbone, weights: Uint8Array, layer: string): Promise<FeatureExtractor> {
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: backbone.modelTopology as object,
    weightSpecs: backbone.weightSpecs as tf.io.WeightsManifestEntry[],
    weightData: weights.slice().buffer,
    format: backbone.pretrained.format,
  };
  const size = backbone.inputShape[0] ?? DEFAULT_BACKBONE_SIZE;
  const [low, high] = backbone.pretrained.inputRange;
  const scaled = (images: tf.Tensor4D) => (low === 0 && high === 1 ? images : images.mul(high - low).add(low));
  if (backbone.pretrained.format === 'graph-model') {
    const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
    const run = (images: tf.Tensor4D) => model.execute(scaled(images), layer) as tf.Tensor;
    const rank = tf.tidy(() => run(tf.zeros([1, size, size, 3])).rank);
    const dims = tf.tidy(() => pooled(run(tf.zeros([1, size, size, 3]))).shape[1]!);
    return { size, dims, pooling: rank === 4 ? 'average' : 'none', features: (images) => tf.tidy(() => pooled(run(images))), dispose: () => model.dispose() };
  }
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const found = model.layers.find((candidate) => candidate.name === layer);
  if (!found) {
    model.dispose();
    throw new Error(`The backbone has no layer named "${layer}".`);
  }
  const cut = tf.model({ inputs: model.inputs, outputs: found.output as tf.SymbolicTensor });
  const plan = inferencePlan(cut);
  const predict = (images: tf.Tensor) => (plan ? plan.run(images) : (cut.predict(images) as tf.Tensor));
  const shape = cut.outputs[0]!.shape;
  const dims = shape.length === 4 ? shape[3]! : shape.slice(1).reduce((a, b) => a! * b!, 1)!;
  return {
    size,
    dims,
    pooling: shape.length === 4 ? 'average' : 'none',
    features: (images) => tf.tidy(() => pooled(predict(scaled(images)))),
    dispose: () => {
      plan?.dispose();
      model.dispose();
    },
  };
}

/** Global average pooling of a [b, h, w, c] map (MobileNet's own head does the same); other shapes are flattened. */
function pooled(output: tf.Tensor): tf.Tensor2D {
  if (output.rank === 4) return output.mean([1, 2]) as tf.Tensor2D;
  return output.reshape([output.shape[0]!, -1]) as tf.Tensor2D;
}
