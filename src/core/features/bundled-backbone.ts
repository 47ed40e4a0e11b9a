import type { ModelRecord } from '../objects/types';

/** A backbone as files: its record (less the weights' hash, which storing the bytes gives) and its weights. */
export interface BackboneFiles {
  record: Omit<ModelRecord, 'weights' | 'weightsSize'> & Required<Pick<ModelRecord, 'pretrained'>>;
  weights: Uint8Array;
}

/**
 * The backbone shipped with the app: the Keras MobileNetV2 (alpha 1.0, 224×224
 * input in [0, 1]) inside nsfwjs 4.4.0 (MIT). Its blocks up to block_10 keep
 * the ImageNet weights (nsfwjs froze them and fine-tuned the later ones for
 * its own task); docs/ARCHITECTURE.md says why this layer was chosen.
 */
export const BUNDLED_BACKBONE = {
  name: 'MobileNetV2, ImageNet weights (from nsfwjs 4.4.0, MIT)',
  /** The layer its record names (kept, so the record and its id stay those of every earlier version). */
  layer: 'flatten_1',
  /**
   * The layers a run uses when the user picks none: block_10's depthwise output (untouched
   * ImageNet weights, 384 values) beside the last map (1 280), from one pass; 1.4 points above
   * flatten_1 alone on the tutorial-shaped photos (docs/ARCHITECTURE.md).
   */
  featureLayer: 'block_10_depthwise_relu+out_relu',
  /**
   * The image size a run uses when the user sets none: 160 px, one of MobileNetV2's own
   * resolutions, costs half the arithmetic of 224 px and gave the same accuracy on the
   * tutorial-shaped photos (docs/ARCHITECTURE.md); the record keeps its 224.
   */
  size: 160,
} as const;

/**
 * Loads the bundled backbone: nsfwjs ships model.json and the int8-quantized
 * weights as JavaScript modules (the weights base64-encoded), which the
 * build turns into a lazy chunk of the app's own origin — offline, no
 * download at run time. The record is nsfwjs' model unchanged, so its id is
 * the same in every browser.
 */
export async function loadBundledBackbone(): Promise<BackboneFiles> {
  const { MobileNetV2Model } = await import('nsfwjs/models/mobilenet_v2');
  const [json, encoded] = await Promise.all([MobileNetV2Model.modelJson(), MobileNetV2Model.weightBundles[0]!()]);
  const model = (json as { default: { modelTopology: object; weightsManifest: { weights: object[] }[] } }).default;
  const weights = base64Bytes((encoded as { default: string }).default);
  const topology = model.modelTopology as { model_config: { config: { layers: { config: { batch_input_shape?: (number | null)[] } }[] } } };
  const inputShape = topology.model_config.config.layers[0]!.config.batch_input_shape!.slice(1) as number[];
  return {
    record: {
      kind: 'model',
      schema: 1,
      architecture: 'backbone',
      inputShape,
      classNames: [],
      modelTopology: model.modelTopology,
      weightSpecs: model.weightsManifest.flatMap((group) => group.weights),
      pretrained: { name: BUNDLED_BACKBONE.name, format: 'layers-model', inputRange: [0, 1], layer: BUNDLED_BACKBONE.layer },
    },
    weights,
  };
}

function base64Bytes(text: string): Uint8Array {
  const binary = atob(text);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}
