import { UnsupportedLayerError, type LayerWeight, type ModelLayer } from '../model-graph';
import type { OnnxGraph, OnnxValue } from './onnx-graph';

/**
 * How each Keras layer type becomes ONNX nodes. Images flow through the graph
 * as NCHW (ONNX's convolution layout); kernels are transposed from tfjs' HWIO
 * once, into initializers. A layer type missing here is refused by name.
 */
type LayerOp = (graph: OnnxGraph, layer: ModelLayer, inputs: OnnxValue[]) => OnnxValue;

export const LAYER_OPS = new Map<string, LayerOp>([
  ['Conv2D', conv2d],
  ['DepthwiseConv2D', depthwiseConv2d],
  ['MaxPooling2D', (graph, layer, inputs) => pool('MaxPool', graph, layer, inputs)],
  ['AveragePooling2D', (graph, layer, inputs) => pool('AveragePool', graph, layer, inputs)],
  ['GlobalAveragePooling2D', globalAveragePooling2d],
  ['BatchNormalization', batchNormalization],
  ['ZeroPadding2D', zeroPadding2d],
  ['Flatten', flatten],
  ['Dense', dense],
  ['Dropout', (_graph, _layer, [input]) => input!],
  ['Activation', (graph, layer, [input]) => activation(graph, layer, input!, String(layer.config.activation))],
  ['ReLU', relu],
  ['Add', add],
  ['Concatenate', concatenate],
  ['Rescaling', rescaling],
]);

/** Converts one layer (its inputs already in the graph); UnsupportedLayerError names a layer no op is known for. */
export function convertLayer(graph: OnnxGraph, layer: ModelLayer, inputs: OnnxValue[]): OnnxValue {
  const op = LAYER_OPS.get(layer.className);
  if (!op) throw new UnsupportedLayerError(`Layer “${layer.name}” is a ${layer.className}, which Pawprint cannot write as ONNX yet.`);
  if (layer.config.data_format !== undefined && layer.config.data_format !== 'channels_last') {
    throw new UnsupportedLayerError(`Layer “${layer.name}” uses ${String(layer.config.data_format)}; only channels_last models can be written as ONNX.`);
  }
  return op(graph, layer, inputs);
}

function conv2d(graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  const kernel = weight(layer, 'kernel');
  const [kh, kw, channels, filters] = kernel.shape as [number, number, number, number];
  const w = graph.floats(`${layer.name}.weight`, [filters, channels, kh, kw], transpose(kernel, [3, 2, 0, 1]));
  return convolution(graph, layer, image(layer, input!), w, filters, 1);
}

function depthwiseConv2d(graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  const kernel = weight(layer, 'depthwise_kernel');
  const [kh, kw, channels, multiplier] = kernel.shape as [number, number, number, number];
  // Output channel c·multiplier + m comes from input channel c: ONNX's grouped convolution, one group per channel.
  const w = graph.floats(`${layer.name}.weight`, [channels * multiplier, 1, kh, kw], transpose(kernel, [2, 3, 0, 1]));
  return convolution(graph, layer, image(layer, input!), w, channels * multiplier, channels);
}

function convolution(graph: OnnxGraph, layer: ModelLayer, input: OnnxValue, w: string, outChannels: number, group: number): OnnxValue {
  const { config } = layer;
  const [kh, kw] = pair(config.kernel_size);
  const inputs = [input.name, w];
  if (config.use_bias !== false) inputs.push(graph.floats(`${layer.name}.bias`, [outChannels], weight(layer, 'bias').values));
  const out = graph.node('Conv', inputs, layer.name, {
    kernel_shape: [kh, kw],
    strides: pair(config.strides ?? 1),
    dilations: pair(config.dilation_rate ?? 1),
    group,
    ...padding(config.padding),
  });
  return activation(graph, layer, { name: out, rank: 4 }, config.activation);
}

function pool(op: 'MaxPool' | 'AveragePool', graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  const size = pair(layer.config.pool_size ?? 2);
  const out = graph.node(op, [image(layer, input!).name], layer.name, {
    kernel_shape: size,
    strides: pair(layer.config.strides ?? size),
    ...padding(layer.config.padding),
  });
  return { name: out, rank: 4 };
}

function globalAveragePooling2d(graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  if (layer.config.keepdims === true) throw new UnsupportedLayerError(`Layer “${layer.name}” keeps its dimensions, which Pawprint cannot write as ONNX yet.`);
  const pooled = graph.node('GlobalAveragePool', [image(layer, input!).name], layer.name);
  return { name: graph.node('Flatten', [pooled], `${layer.name}.flat`, { axis: 1 }), rank: 2 };
}

function batchNormalization(graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  const axis = layer.config.axis;
  if (axis !== undefined && axis !== -1 && axis !== (input!.rank === 4 ? 3 : 1)) {
    throw new UnsupportedLayerError(`Layer “${layer.name}” normalises axis ${String(axis)}; only the channel axis can be written as ONNX.`);
  }
  const mean = weight(layer, 'moving_mean');
  const channels = mean.values.length;
  const ones = new Float32Array(channels).fill(1);
  const scale = layer.weights.find((w) => w.name === 'gamma')?.values ?? ones;
  const offset = layer.weights.find((w) => w.name === 'beta')?.values ?? new Float32Array(channels);
  const out = graph.node(
    'BatchNormalization',
    [
      input!.name,
      graph.floats(`${layer.name}.scale`, [channels], scale),
      graph.floats(`${layer.name}.offset`, [channels], offset),
      graph.floats(`${layer.name}.mean`, [channels], mean.values),
      graph.floats(`${layer.name}.variance`, [channels], weight(layer, 'moving_variance').values),
    ],
    layer.name,
    { epsilon: { float: Number(layer.config.epsilon ?? 1e-3) } },
  );
  return { name: out, rank: input!.rank };
}

function zeroPadding2d(graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  const raw = layer.config.padding;
  // An int, [rows, cols], or [[top, bottom], [left, right]].
  const nested = Array.isArray(raw) && Array.isArray(raw[0]);
  const [top, bottom] = nested ? pair((raw as unknown[])[0]) : pair(Array.isArray(raw) ? raw[0] : (raw ?? 1));
  const [left, right] = nested ? pair((raw as unknown[])[1]) : pair(Array.isArray(raw) ? raw[1] : (raw ?? 1));
  const pads = graph.ints(`${layer.name}.pads`, [0, 0, top, left, 0, 0, bottom, right]);
  return { name: graph.node('Pad', [image(layer, input!).name, pads], layer.name, { mode: 'constant' }), rank: 4 };
}

function flatten(graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  if (input!.rank === 2) return input!;
  // tfjs flattens height, width, channels in that order: back to NHWC first.
  const nhwc = graph.node('Transpose', [input!.name], `${layer.name}.nhwc`, { perm: [0, 2, 3, 1] });
  return { name: graph.node('Flatten', [nhwc], layer.name, { axis: 1 }), rank: 2 };
}

function dense(graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  if (input!.rank !== 2) throw new UnsupportedLayerError(`Layer “${layer.name}” is a Dense layer on an image; flatten or pool first to write it as ONNX.`);
  const kernel = weight(layer, 'kernel');
  const w = graph.floats(`${layer.name}.weight`, kernel.shape, kernel.values);
  const out =
    layer.config.use_bias === false
      ? graph.node('MatMul', [input!.name, w], layer.name)
      : graph.node('Gemm', [input!.name, w, graph.floats(`${layer.name}.bias`, [kernel.shape[1]!], weight(layer, 'bias').values)], layer.name);
  return activation(graph, layer, { name: out, rank: 2 }, layer.config.activation);
}

function relu(graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  const { max_value: max, negative_slope: slope = 0, threshold = 0 } = layer.config;
  if (slope !== 0 || threshold !== 0) throw new UnsupportedLayerError(`Layer “${layer.name}” is a ReLU with a slope or threshold, which Pawprint cannot write as ONNX yet.`);
  if (max === null || max === undefined) return activation(graph, layer, input!, 'relu');
  return clip(graph, layer.name, input!, Number(max));
}

/** x · scale + offset (a joined backbone's input range, e.g. [0, 1] → [-1, 1]). */
function rescaling(graph: OnnxGraph, layer: ModelLayer, [input]: OnnxValue[]): OnnxValue {
  const scale = graph.floats(`${layer.name}.scale`, [], new Float32Array([Number(layer.config.scale ?? 1)]));
  const offset = graph.floats(`${layer.name}.offset`, [], new Float32Array([Number(layer.config.offset ?? 0)]));
  const scaled = graph.node('Mul', [input!.name, scale], `${layer.name}.scaled`);
  return { name: graph.node('Add', [scaled, offset], layer.name), rank: input!.rank };
}

function add(graph: OnnxGraph, layer: ModelLayer, inputs: OnnxValue[]): OnnxValue {
  let sum = inputs[0]!;
  for (const next of inputs.slice(1)) sum = { name: graph.node('Add', [sum.name, next.name], layer.name), rank: sum.rank };
  return sum;
}

/** Keras joins on its last (channel) axis by default; an NCHW image keeps its channels on axis 1. */
function concatenate(graph: OnnxGraph, layer: ModelLayer, inputs: OnnxValue[]): OnnxValue {
  const rank = inputs[0]!.rank;
  const axis = Number(layer.config.axis ?? -1);
  if (axis !== -1 && axis !== rank - 1) {
    throw new UnsupportedLayerError(`Layer “${layer.name}” joins on axis ${axis}; only the channel axis can be written as ONNX.`);
  }
  return { name: graph.node('Concat', inputs.map((input) => input.name), layer.name, { axis: rank === 4 ? 1 : rank - 1 }), rank };
}

const SIMPLE_ACTIVATIONS = new Map([
  ['relu', 'Relu'],
  ['sigmoid', 'Sigmoid'],
  ['tanh', 'Tanh'],
  ['elu', 'Elu'],
]);

function activation(graph: OnnxGraph, layer: ModelLayer, input: OnnxValue, name: unknown): OnnxValue {
  if (name === undefined || name === null || name === 'linear') return input;
  if (name === 'relu6') return clip(graph, `${layer.name}.relu6`, input, 6);
  if (name === 'softmax') {
    // The channel axis: last in Keras, 1 in an NCHW image.
    return { name: graph.node('Softmax', [input.name], `${layer.name}.softmax`, { axis: input.rank === 4 ? 1 : -1 }), rank: input.rank };
  }
  const op = SIMPLE_ACTIVATIONS.get(String(name));
  if (!op) throw new UnsupportedLayerError(`Layer “${layer.name}” uses the activation “${String(name)}”, which Pawprint cannot write as ONNX yet.`);
  return { name: graph.node(op, [input.name], `${layer.name}.${String(name)}`), rank: input.rank };
}

function clip(graph: OnnxGraph, base: string, input: OnnxValue, max: number): OnnxValue {
  const low = graph.floats(`${base}.min`, [], new Float32Array([0]));
  const high = graph.floats(`${base}.max`, [], new Float32Array([max]));
  return { name: graph.node('Clip', [input.name, low, high], base), rank: input.rank };
}

function image(layer: ModelLayer, input: OnnxValue): OnnxValue {
  if (input.rank !== 4) throw new UnsupportedLayerError(`Layer “${layer.name}” (${layer.className}) takes an image, but its input is flat.`);
  return input;
}

function weight(layer: ModelLayer, name: string): LayerWeight {
  const found = layer.weights.find((w) => w.name === name);
  if (!found) throw new UnsupportedLayerError(`Layer “${layer.name}” has no weight “${name}”.`);
  return found;
}

function pair(value: unknown): [number, number] {
  if (Array.isArray(value)) return [Number(value[0]), Number(value[1] ?? value[0])];
  return [Number(value), Number(value)];
}

/** Keras' 'valid' is no padding; 'same' pads the end more when uneven, as SAME_UPPER does. */
function padding(mode: unknown): Record<string, string | number[]> {
  if (mode === 'same') return { auto_pad: 'SAME_UPPER' };
  if (mode === undefined || mode === 'valid') return { pads: [0, 0, 0, 0] };
  throw new UnsupportedLayerError(`Padding “${String(mode)}” cannot be written as ONNX.`);
}

/** Permutes a 4-D weight's axes: output axis i is input axis perm[i]. */
function transpose({ shape, values }: LayerWeight, perm: [number, number, number, number]): Float32Array {
  const strides = [shape[1]! * shape[2]! * shape[3]!, shape[2]! * shape[3]!, shape[3]!, 1];
  const dims = perm.map((axis) => shape[axis]!);
  const step = perm.map((axis) => strides[axis]!);
  const out = new Float32Array(values.length);
  let i = 0;
  for (let a = 0; a < dims[0]!; a++)
    for (let b = 0; b < dims[1]!; b++)
      for (let c = 0; c < dims[2]!; c++)
        for (let d = 0; d < dims[3]!; d++) out[i++] = values[a * step[0]! + b * step[1]! + c * step[2]! + d * step[3]!]!;
  return out;
}
