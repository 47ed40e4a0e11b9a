import type { ModelRecord } from '../objects/types';
import type { WeightSpec } from './parse-model-json';
import { featureLayerParts } from '../features/feature-layers';
import { featureSize, ownSize } from '../features/feature-set';
import { weightsByteSize } from './weights-byte-size';

/** A model as tfjs files take it: Keras topology, weight specs and the weights' bytes in spec order. */
export interface ModelArtifacts {
  modelTopology: object;
  weightSpecs: WeightSpec[];
  weights: Uint8Array;
}

interface KerasLayer {
  name: string;
  class_name: string;
  config: Record<string, unknown>;
  inbound_nodes: [string, number, number, Record<string, unknown>][][];
}

interface KerasModel {
  class_name: string;
  config: KerasFunctional;
  keras_version?: string;
  backend?: string;
}

interface KerasFunctional {
  name: string;
  layers: KerasLayer[];
  input_layers: [string, number, number][];
  output_layers: [string, number, number][];
}

/**
 * A head trained on pretrained features and its backbone joined into one
 * tfjs LayersModel that a stock `tf.loadLayersModel` runs end to end, image
 * in ([0, 1], at the side the features were computed at, as Pawprint feeds
 * it) and probabilities out: the backbone's
 * layers that lead to the feature layer (weights as stored, quantized ones
 * stay quantized), a Rescaling layer first when the backbone expects another
 * range, a GlobalAveragePooling2D per feature layer when its features are
 * averaged, a Concatenate when there are several, then the head's layers.
 * Pure JSON and bytes: no tfjs needed to write it. Also gives the image
 * shape it takes.
 */
export function joinedModel(backbone: ModelRecord, backboneWeights: Uint8Array, head: ModelRecord, headWeights: Uint8Array): ModelArtifacts & { inputShape: number[] } {
  const { features } = head;
  if (!features || !backbone.pretrained) throw new Error('This model is not a head on pretrained features.');
  if (backbone.pretrained.format !== 'layers-model') {
    throw new Error(`The backbone “${backbone.pretrained.name}” is a TensorFlow graph model: it cannot be joined with the head into one Layers model. Download the backbone and the head apart.`);
  }
  // Keras' converter wraps the model in model_config, tfjs' own save does not; tfjs reads both.
  const topology = backbone.modelTopology as KerasModel & { model_config?: KerasModel };
  const model = topology.model_config ?? topology;
  const graph = model.config;
  if (!graph?.layers || !graph.input_layers) throw new Error(`The backbone “${backbone.pretrained.name}” is not a functional Keras model.`);

  const byName = new Map(graph.layers.map((layer) => [layer.name, layer]));
  const parts = featureLayerParts(features.layer, (name) => byName.has(name));
  const kept = new Set(parts.flatMap((part) => [...ancestors(byName, part)]));
  const inputName = graph.input_layers[0]![0];
  const layers: KerasLayer[] = graph.layers.filter((layer) => kept.has(layer.name)).map((layer) => structuredClone(layer));
  const size = featureSize(features, backbone);
  if (size !== ownSize(backbone)) {
    // The extractor ran these layers at this side (none of them depends on it): only the input changes.
    const input = layers.find((layer) => layer.name === inputName);
    if (!input) throw new Error(`The backbone “${backbone.pretrained.name}” has no input layer ${inputName}.`);
    input.config['batch_input_shape'] = [null, size, size, 3];
  }
  const taken = new Set(layers.map((layer) => layer.name));
  const unique = (name: string) => {
    let candidate = name;
    for (let n = 1; taken.has(candidate); n++) candidate = `${name}_${n}`;
    taken.add(candidate);
    return candidate;
  };
  const node = (...from: string[]): KerasLayer['inbound_nodes'] => [from.map((name): [string, number, number, Record<string, unknown>] => [name, 0, 0, {}])];

  const [low, high] = backbone.pretrained.inputRange;
  if (low !== 0 || high !== 1) {
    const rescaling = unique('input_rescaling');
    for (const layer of layers) {
      for (const inbound of layer.inbound_nodes) for (const edge of inbound) if (edge[0] === inputName) edge[0] = rescaling;
    }
    layers.splice(1, 0, { name: rescaling, class_name: 'Rescaling', config: { name: rescaling, scale: high - low, offset: low }, inbound_nodes: node(inputName) });
  }
  const rows = parts.map((part) => {
    if (features.pooling !== 'average') return part;
    const pool = unique('head_pool');
    layers.push({ name: pool, class_name: 'GlobalAveragePooling2D', config: { name: pool, data_format: 'channels_last' }, inbound_nodes: node(part) });
    return pool;
  });
  let last = rows[0]!;
  if (rows.length > 1) {
    last = unique('head_features');
    layers.push({ name: last, class_name: 'Concatenate', config: { name: last, axis: -1 }, inbound_nodes: node(...rows) });
  }
  const headLayers = (head.modelTopology as { config: { layers: { class_name: string; config: Record<string, unknown> }[] } }).config.layers;
  const renamed = new Map<string, string>();
  for (const { class_name, config } of headLayers) {
    const name = unique(String(config['name']));
    renamed.set(String(config['name']), name);
    const { batch_input_shape: _shape, ...rest } = config;
    layers.push({ name, class_name, config: { ...rest, name }, inbound_nodes: node(last) });
    last = name;
  }

  const backboneSpecs = backbone.weightSpecs as WeightSpec[];
  const offsets = specOffsets(backboneSpecs);
  const keptSpecs = backboneSpecs.map((spec, i) => ({ spec, at: offsets[i]! })).filter(({ spec }) => kept.has(layerOf(spec.name)));
  const headSpecs = (head.weightSpecs as WeightSpec[]).map((spec) => ({ ...spec, name: spec.name.replace(/^[^/]+/, (layer) => renamed.get(layer) ?? layer) }));
  const pieces = [...keptSpecs.map(({ spec, at }) => backboneWeights.subarray(at, at + weightsByteSize([spec]))), headWeights];
  const weights = new Uint8Array(pieces.reduce((sum, piece) => sum + piece.byteLength, 0));
  pieces.reduce((at, piece) => (weights.set(piece, at), at + piece.byteLength), 0);

  return {
    modelTopology: {
      keras_version: topology.keras_version,
      backend: topology.backend,
      model_config: {
        class_name: model.class_name,
        config: { name: 'pawprint_pretrained_features', layers, input_layers: graph.input_layers, output_layers: [[last, 0, 0]] },
      },
    },
    weightSpecs: [...keptSpecs.map(({ spec }) => spec), ...headSpecs],
    weights,
    inputShape: [size, size, 3],
  };
}

/** The layer and every layer it is computed from. */
function ancestors(byName: Map<string, KerasLayer>, name: string): Set<string> {
  const seen = new Set<string>();
  const stack = [name];
  while (stack.length > 0) {
    const next = stack.pop()!;
    if (seen.has(next)) continue;
    seen.add(next);
    for (const inbound of byName.get(next)?.inbound_nodes ?? []) for (const [from] of inbound) stack.push(from);
  }
  return seen;
}

/** Where each weight starts in the weights file: tfjs packs them in manifest order. */
function specOffsets(specs: readonly WeightSpec[]): number[] {
  let at = 0;
  return specs.map((spec) => {
    const start = at;
    at += weightsByteSize([spec]);
    return start;
  });
}

/** Keras names a weight "<layer>/<weight>". */
const layerOf = (weightName: string) => weightName.split('/')[0]!;
