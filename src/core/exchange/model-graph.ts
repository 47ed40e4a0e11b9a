import type { ModelRecord } from '../objects/types';

/** One weight of a layer: `kernel`, `bias`, `gamma`, … with tfjs' shape (kernels HWIO, dense [in, out]). */
export interface LayerWeight {
  name: string;
  shape: number[];
  values: Float32Array;
}

/** A layer of a tfjs LayersModel, as its Keras JSON names it, with its weights in the model's order. */
export interface ModelLayer {
  className: string;
  name: string;
  config: Record<string, unknown>;
  /** Names of the layers whose outputs it takes (the model input's name for the first). */
  inputs: string[];
  weights: LayerWeight[];
}

/** A model as exporters walk it: layers in an order where every input comes first. */
export interface ModelGraph {
  /** Keras' two model classes: a chain of layers, or a graph of them. */
  kind: 'sequential' | 'functional';
  /** The input layer's name; [height, width, channels]. */
  input: { name: string; shape: number[] };
  layers: ModelLayer[];
  /** The layer whose output is the model's. */
  output: string;
}

/** A model an exporter cannot write: the message names the layer (nothing is downloaded). */
export class UnsupportedLayerError extends Error {
  override name = 'UnsupportedLayerError';
}

type KerasLayerJson = { class_name: string; config: Record<string, unknown> & { name?: string }; inbound_nodes?: unknown[] };

/**
 * Reads a stored model (tfjs' Keras JSON topology, its weight specs and
 * bytes) into layers with their weights: a Sequential chain, or a functional
 * Model's graph (single input, single output). Only float32 weights: what
 * Pawprint trains.
 */
export function readModelGraph(model: Pick<ModelRecord, 'modelTopology' | 'weightSpecs' | 'inputShape'>, weights: Uint8Array): ModelGraph {
  const topology = unwrap(model.modelTopology);
  const layersJson = (topology?.config as { layers?: KerasLayerJson[] } | undefined)?.layers;
  if (!Array.isArray(layersJson)) throw new UnsupportedLayerError('The model has no layer list.');
  const byLayer = weightsByLayer(model.weightSpecs, weights);
  const graph =
    topology.class_name === 'Sequential'
      ? sequential(layersJson, model.inputShape)
      : functional(topology.class_name, topology.config as FunctionalConfig, layersJson, model.inputShape);
  for (const layer of graph.layers) layer.weights = byLayer.get(layer.name) ?? [];
  return graph;
}

/** tfjs saves `{ class_name, config }`, sometimes under `model_config`. */
function unwrap(topology: unknown): KerasLayerJson {
  const value = topology as { model_config?: KerasLayerJson } & KerasLayerJson;
  return value.model_config ?? value;
}

function sequential(layers: KerasLayerJson[], inputShape: number[]): ModelGraph {
  const inputName = 'input';
  let previous = inputName;
  const out: ModelLayer[] = [];
  for (const json of layers) {
    if (json.class_name === 'InputLayer') continue;
    const name = json.config.name ?? `${json.class_name}_${out.length}`;
    out.push({ className: json.class_name, name, config: json.config, inputs: [previous], weights: [] });
    previous = name;
  }
  return { kind: 'sequential', input: { name: inputName, shape: inputShape }, layers: out, output: previous };
}

interface FunctionalConfig {
  input_layers?: [string, number, number][];
  output_layers?: [string, number, number][];
}

function functional(className: string, config: FunctionalConfig, layers: KerasLayerJson[], inputShape: number[]): ModelGraph {
  const inputs = config.input_layers ?? [];
  const outputs = config.output_layers ?? [];
  if (inputs.length !== 1 || outputs.length !== 1) {
    throw new UnsupportedLayerError(`A ${className} model with ${inputs.length} inputs and ${outputs.length} outputs cannot be exported: one of each is supported.`);
  }
  const out: ModelLayer[] = [];
  for (const json of layers) {
    if (json.class_name === 'InputLayer') continue;
    const nodes = json.inbound_nodes ?? [];
    if (nodes.length !== 1) throw new UnsupportedLayerError(`Layer ${json.config.name} is used ${nodes.length} times; layers shared between calls cannot be exported.`);
    const from = (nodes[0] as [string, number, number][]).map(([name]) => name);
    out.push({ className: json.class_name, name: json.config.name ?? '', config: json.config, inputs: from, weights: [] });
  }
  return { kind: 'functional', input: { name: inputs[0]![0], shape: inputShape }, layers: out, output: outputs[0]![0] };
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype?: string;
  /** tfjs' quantized weights (a backbone converted with quantization): stored smaller, read as float32. */
  quantization?: { dtype: 'uint8' | 'uint16' | 'float16'; scale?: number; min?: number };
}

const QUANTIZED_BYTES = { uint8: 1, uint16: 2, float16: 2 } as const;

/** The weight specs' bytes cut per layer: spec `conv1/kernel` is weight `kernel` of layer `conv1`. */
function weightsByLayer(specs: unknown[], bytes: Uint8Array): Map<string, LayerWeight[]> {
  const byLayer = new Map<string, LayerWeight[]>();
  let offset = 0;
  for (const spec of specs as WeightSpec[]) {
    if ((spec.dtype ?? 'float32') !== 'float32') throw new UnsupportedLayerError(`Weight ${spec.name} is ${spec.dtype}; only float32 weights can be exported.`);
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const width = spec.quantization ? QUANTIZED_BYTES[spec.quantization.dtype] : 4;
    if (width === undefined) throw new UnsupportedLayerError(`Weight ${spec.name} is quantized as ${spec.quantization!.dtype}, which cannot be exported.`);
    if (offset + count * width > bytes.byteLength) throw new Error(`The weights file is shorter than its specs say (at ${spec.name}).`);
    // A copy: the bytes may sit at any offset of a larger buffer.
    const raw = bytes.slice(offset, offset + count * width).buffer;
    const values = spec.quantization ? dequantize(raw, spec.quantization) : new Float32Array(raw);
    offset += count * width;
    const cut = spec.name.lastIndexOf('/');
    const layer = spec.name.slice(0, cut);
    byLayer.set(layer, [...(byLayer.get(layer) ?? []), { name: spec.name.slice(cut + 1), shape: [...spec.shape], values }]);
  }
  return byLayer;
}

/** As tfjs reads quantized weights: uint8/uint16 as value × scale + min, float16 as half floats. */
function dequantize(raw: ArrayBuffer, { dtype, scale = 1, min = 0 }: NonNullable<WeightSpec['quantization']>): Float32Array {
  if (dtype === 'float16') return Float32Array.from(new Uint16Array(raw), halfToFloat);
  const stored = dtype === 'uint8' ? new Uint8Array(raw) : new Uint16Array(raw);
  return Float32Array.from(stored, (value) => value * scale + min);
}

function halfToFloat(half: number): number {
  const sign = half & 0x8000 ? -1 : 1;
  const exponent = (half >> 10) & 0x1f;
  const fraction = half & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
