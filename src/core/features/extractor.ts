import * as tf from '@tensorflow/tfjs';
import type { ModelRecord, PretrainedInfo } from '../objects/types';
import { featureLayerParts, featureLayers } from './feature-layers';
import { ownSize } from './feature-set';
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

type Backbone = Pick<ModelRecord, 'modelTopology' | 'weightSpecs' | 'inputShape'> & { pretrained: PretrainedInfo };

/**
 * Builds the extractor of `layer` from a stored backbone and its weights
 * (quantized weights are dequantized by tfjs), fed `size`×`size` images.
 * Throws when the layer does not exist or gives no usable features, or when
 * the backbone cannot run at that size.
 */
export async function loadExtractor(backbone: Backbone, weights: Uint8Array, layer: string, size = ownSize(backbone)): Promise<FeatureExtractor> {
  const artifacts: tf.io.ModelArtifacts = {
    modelTopology: backbone.modelTopology as object,
    weightSpecs: backbone.weightSpecs as tf.io.WeightsManifestEntry[],
    weightData: weights.slice().buffer,
    format: backbone.pretrained.format,
  };
  const own = ownSize(backbone);
  const onlyOwnSize = (why: string) =>
    new Error(`The backbone “${backbone.pretrained.name}” ${why}, so it runs only at its own input size: set Image size to ${own}.`);
  const [low, high] = backbone.pretrained.inputRange;
  const scaled = (images: tf.Tensor4D) => (low === 0 && high === 1 ? images : images.mul(high - low).add(low));
  if (backbone.pretrained.format === 'graph-model') {
    if (size !== own) throw onlyOwnSize('is a TensorFlow graph model, which checks the input size it was converted with');
    const model = await tf.loadGraphModel(tf.io.fromMemory(artifacts));
    const nodes = new Set(featureLayers(backbone.modelTopology));
    const parts = partsOrDispose(layer, (name) => nodes.has(name), () => model.dispose());
    const run = (images: tf.Tensor4D) => [model.execute(scaled(images), parts)].flat();
    return extractorOf(size, run, () => model.dispose());
  }
  const model = await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  const parts = partsOrDispose(layer, (name) => model.layers.some((candidate) => candidate.name === name), () => model.dispose());
  const cut = tf.model({ inputs: model.inputs, outputs: parts.map((name) => model.getLayer(name).output as tf.SymbolicTensor) });
  // The plan runs the layers as convolutions that take any side; tfjs-layers checks the model's own.
  const plan = inferencePlan(cut);
  if (!plan && size !== own) {
    model.dispose();
    throw onlyOwnSize('has layers Pawprint runs only through tfjs-layers');
  }
  const run = (images: tf.Tensor4D) => (plan ? plan.run(scaled(images)) : [cut.predict(scaled(images))].flat());
  return extractorOf(size, run, () => {
    plan?.dispose();
    model.dispose();
  });
}

/** The layers `layer` names; a name the backbone lacks frees the loaded model before it throws. */
function partsOrDispose(layer: string, has: (name: string) => boolean, dispose: () => void): string[] {
  try {
    return featureLayerParts(layer, has);
  } catch (error) {
    dispose();
    throw error;
  }
}

/**
 * The extractor of a cut backbone: its outputs (one per feature layer) pooled and put side by
 * side. The layers must be of one kind, all maps (averaged) or all not, so the record's one
 * `pooling` says how every part was made.
 */
function extractorOf(size: number, run: (images: tf.Tensor4D) => tf.Tensor[], dispose: () => void): FeatureExtractor {
  let shapes: number[][];
  try {
    const tooSmall = (why: string) => new Error(`The backbone cannot take ${size}×${size} images (${why}): choose another Image size.`);
    shapes = tf.tidy(() => {
      try {
        return run(tf.zeros([1, size, size, 3])).map((output) => output.shape);
      } catch (error) {
        throw tooSmall((error as Error).message);
      }
    });
    // A map with no positions, or a fixed pooling window larger than the map, gives nothing to train on.
    if (shapes.some((shape) => shape.slice(1).some((n) => !(n > 0)))) throw tooSmall('its feature layer gives no values at that size');
    if (new Set(shapes.map((shape) => shape.length === 4)).size > 1) {
      throw new Error('The feature layers give features of different kinds (a map and a vector): combine layers that all give maps, or all vectors.');
    }
  } catch (error) {
    dispose();
    throw error;
  }
  const dims = shapes.reduce((sum, shape) => sum + (shape.length === 4 ? shape[3]! : shape.slice(1).reduce((a, b) => a * b, 1)), 0);
  return {
    size,
    dims,
    pooling: shapes[0]!.length === 4 ? 'average' : 'none',
    features: (images) =>
      tf.tidy(() => {
        const rows = run(images).map(pooled);
        return rows.length === 1 ? rows[0]! : tf.concat(rows, 1);
      }),
    dispose,
  };
}

/** Global average pooling of a [b, h, w, c] map (MobileNet's own head does the same); other shapes are flattened. */
function pooled(output: tf.Tensor): tf.Tensor2D {
  if (output.rank === 4) return output.mean([1, 2]) as tf.Tensor2D;
  return output.reshape([output.shape[0]!, -1]) as tf.Tensor2D;
}
