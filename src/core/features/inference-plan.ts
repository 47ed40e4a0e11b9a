import * as tf from '@tensorflow/tfjs';

type Layer = tf.layers.Layer;
type Run = (inputs: tf.Tensor[]) => tf.Tensor;
type Activation = 'linear' | 'relu' | 'relu6';

/** The activations tfjs' fused convolution and matmul kernels take (tfjs-layers fuses only relu). */
const FUSABLE = new Set(['linear', 'relu', 'relu6']);

interface ConvConfig {
  strides: [number, number];
  padding: 'same' | 'valid';
  dilationRate: [number, number];
  dataFormat: string;
  activation: string;
  useBias: boolean;
  depthMultiplier?: number;
}

/**
 * Folds a BatchNormalization into the convolution before it: per output channel c,
 * s = γ / sqrt(variance + ε), W'[…, c] = W[…, c] · s, b' = (b − mean) · s + β.
 */
function folded(conv: Layer, norm: Layer): [tf.Tensor4D, tf.Tensor1D] {
  return tf.tidy(() => {
    const [kernel, bias] = conv.getWeights();
    const config = norm.getConfig() as { epsilon: number; center: boolean; scale: boolean };
    const weights = norm.getWeights();
    const gamma = config.scale ? weights.shift()! : null;
    const beta = config.center ? weights.shift()! : null;
    const [mean, variance] = weights as [tf.Tensor, tf.Tensor];
    let s = tf.rsqrt(variance.add(config.epsilon));
    if (gamma) s = s.mul(gamma);
    // Conv2D kernels are [kh, kw, in, out]; a depthwise kernel is [kh, kw, in, 1], channel = in.
    const perChannel = conv.getClassName() === 'DepthwiseConv2D' ? s.reshape([1, 1, -1, 1]) : s;
    let b = (bias ?? tf.zerosLike(mean)).sub(mean).mul(s);
    if (beta) b = b.add(beta);
    return [tf.keep(kernel!.mul(perChannel) as tf.Tensor4D), tf.keep(b as tf.Tensor1D)];
  });
}

type ExplicitPadding = [[number, number], [number, number], [number, number], [number, number]];

/**
 * A convolution layer as a fused tfjs op, with given weights and activation (a folded BatchNorm,
 * a taken-over ReLU) and, for a 'valid' convolution after a ZeroPadding2D, that padding.
 */
function convolution(layer: Layer, filter: tf.Tensor4D, bias: tf.Tensor1D | undefined, activation: Activation, padding?: ExplicitPadding): Run {
  const c = layer.getConfig() as unknown as ConvConfig;
  const args = { filter, bias, strides: c.strides, pad: padding ?? c.padding, dilations: c.dilationRate, activation };
  return layer.getClassName() === 'Conv2D'
    ? ([x]) => tf.fused.conv2d({ x: x as tf.Tensor4D, ...args })
    // tfjs types the fused depthwise op's pad narrower than its kernels, which all take explicit padding.
    : ([x]) => tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, ...args, pad: args.pad as 'valid' });
}

/** The padding a ZeroPadding2D adds, as a convolution's explicit padding, when the convolution it feeds can take it instead. */
function paddingForConvolution(pad: Layer, consumer: Layer | null): ExplicitPadding | null {
  if (!consumer || !['Conv2D', 'DepthwiseConv2D'].includes(consumer.getClassName())) return null;
  const c = consumer.getConfig() as unknown as ConvConfig;
  const p = pad.getConfig() as { padding: [[number, number], [number, number]]; dataFormat?: string };
  if (c.padding !== 'valid' || c.dataFormat !== 'channelsLast' || (p.dataFormat ?? 'channelsLast') !== 'channelsLast') return null;
  const [[top, bottom], [left, right]] = p.padding;
  return [[0, 0], [top, bottom], [left, right], [0, 0]];
}

/** The activation a ReLU or Activation layer applies, if a fused kernel can take it. */
function reluOf(layer: Layer): Activation | null {
  const config = layer.getConfig() as { maxValue?: number | null; negativeSlope?: number; threshold?: number; activation?: string };
  if (layer.getClassName() === 'Activation') return FUSABLE.has(config.activation ?? '') ? (config.activation as Activation) : null;
  if (layer.getClassName() !== 'ReLU' || (config.negativeSlope ?? 0) !== 0 || (config.threshold ?? 0) !== 0) return null;
  return config.maxValue == null ? 'relu' : config.maxValue === 6 ? 'relu6' : null;
}

/** One layer as tfjs ops, or null where this plan does not know the layer (the model runs as it is then). */
function stepOf(layer: Layer, padding?: ExplicitPadding): Run | null {
  const config = layer.getConfig() as Record<string, unknown>;
  const weights = layer.getWeights();
  switch (layer.getClassName()) {
    case 'Conv2D':
    case 'DepthwiseConv2D': {
      const c = config as unknown as ConvConfig;
      if (c.dataFormat !== 'channelsLast' || !FUSABLE.has(c.activation)) return null;
      return convolution(layer, weights[0] as tf.Tensor4D, c.useBias ? (weights[1] as tf.Tensor1D) : undefined, c.activation as Activation, padding);
    }
    case 'ZeroPadding2D': {
      const [[top, bottom], [left, right]] = config.padding as [[number, number], [number, number]];
      return ([x]) => tf.pad(x!, [[0, 0], [top, bottom], [left, right], [0, 0]]);
    }
    case 'BatchNormalization': {
      const c = config as { axis: number | number[]; epsilon: number; center: boolean; scale: boolean };
      if (c.axis !== -1 && c.axis !== 3 && !(Array.isArray(c.axis) && c.axis.length === 1 && (c.axis[0] === -1 || c.axis[0] === 3))) return null;
      const list = [...weights];
      const gamma = c.scale ? list.shift() : undefined;
      const beta = c.center ? list.shift() : undefined;
      const [mean, variance] = list as [tf.Tensor, tf.Tensor];
      return ([x]) => tf.batchNorm(x!, mean, variance, beta, gamma, c.epsilon);
    }
    case 'ReLU': {
      const c = config as { maxValue?: number | null; negativeSlope?: number; threshold?: number };
      if ((c.negativeSlope ?? 0) !== 0 || (c.threshold ?? 0) !== 0) return null;
      if (c.maxValue == null) return ([x]) => tf.relu(x!);
      const cap = c.maxValue;
      return ([x]) => (cap === 6 ? tf.relu6(x!) : tf.clipByValue(x!, 0, cap));
    }
    case 'Activation':
      return config.activation === 'relu' ? ([x]) => tf.relu(x!) : config.activation === 'relu6' ? ([x]) => tf.relu6(x!) : config.activation === 'linear' ? ([x]) => x! : null;
    case 'Add':
      return (xs) => tf.addN(xs);
    case 'Dropout':
      return ([x]) => x!;
    case 'GlobalAveragePooling2D':
      return ([x]) => x!.mean([1, 2]);
    case 'AveragePooling2D':
    case 'MaxPooling2D': {
      const c = config as { poolSize: [number, number]; strides: [number, number] | null; padding: 'same' | 'valid'; dataFormat: string };
      if (c.dataFormat !== 'channelsLast') return null;
      const pool = layer.getClassName() === 'MaxPooling2D' ? tf.maxPool : tf.avgPool;
      return ([x]) => pool(x as tf.Tensor4D, c.poolSize, c.strides ?? c.poolSize, c.padding);
    }
    case 'Flatten':
      return ([x]) => x!.reshape([x!.shape[0]!, -1]);
    default:
      return null;
  }
}

/** Inference through a plan: `run` takes a batch of images and gives the model's outputs in order, `dispose` frees the folded weights. */
export interface InferencePlan {
  run(input: tf.Tensor): tf.Tensor[];
  dispose(): void;
}

/**
 * The layers of a functional model (a pretrained backbone cut at its feature layer) as a plan of
 * tfjs ops. Every Conv2D or DepthwiseConv2D whose only consumer is a BatchNormalization gets the
 * normalisation folded into its weights and takes over the ReLU after it as the activation of
 * its fused kernel: MobileNetV2's 52 normalisations and 35 ReLU6 (which tfjs-layers runs as Relu
 * + Minimum: it fuses only ReLU) go, and each activation is read once instead of four times.
 * Returns null when a layer is not one the plan knows (the model then runs through tfjs-layers as
 * it is); the plan computes what `model.predict` computes, up to float32 rounding.
 */
export function inferencePlan(model: tf.LayersModel): InferencePlan | null {
  if (model.inputs.length !== 1) return null;
  const inModel = new Set(model.layers);
  /** The one layer of this model that takes `layer`'s output, when exactly one layer at all does. */
  const onlyConsumer = (layer: Layer) => (layer.outboundNodes.length === 1 && inModel.has(layer.outboundNodes[0]!.outboundLayer) ? layer.outboundNodes[0]!.outboundLayer : null);
  // A layer whose output the model gives keeps its own step: folding it away would lose that output.
  const given = (layer: Layer) => model.outputs.includes(layer.output as tf.SymbolicTensor);
  const steps: { run: Run; inputs: tf.SymbolicTensor[]; output: tf.SymbolicTensor }[] = [];
  const owned: tf.Tensor[] = [];
  const taken = new Set<Layer>();
  /** ZeroPadding2D outputs left to the convolution they feed: what they pad and by how much. */
  const padded = new Map<tf.SymbolicTensor, { from: tf.SymbolicTensor; padding: ExplicitPadding }>();
  const fail = () => {
    tf.dispose(owned);
    return null;
  };
  for (const layer of model.layers) {
    if (layer.getClassName() === 'InputLayer' || taken.has(layer)) continue;
    if (layer.inboundNodes.length !== 1) return fail();
    let inputs = [layer.input].flat() as tf.SymbolicTensor[];
    const norm = onlyConsumer(layer);
    if (layer.getClassName() === 'ZeroPadding2D' && !given(layer)) {
      const padding = paddingForConvolution(layer, norm);
      if (padding) {
        padded.set(layer.output as tf.SymbolicTensor, { from: inputs[0]!, padding });
        continue;
      }
    }
    const pad = padded.get(inputs[0]!);
    if (pad) inputs = [pad.from];
    const config = layer.getConfig() as { activation?: string; depthMultiplier?: number; dataFormat?: string };
    const foldable = ['Conv2D', 'DepthwiseConv2D'].includes(layer.getClassName()) && norm?.getClassName() === 'BatchNormalization' && !given(layer) &&
      config.activation === 'linear' && (config.depthMultiplier ?? 1) === 1 && config.dataFormat === 'channelsLast' &&
      [(norm.getConfig() as { axis: unknown }).axis].flat().every((axis) => axis === -1 || axis === 3);
    if (foldable) {
      const [filter, bias] = folded(layer, norm!);
      owned.push(filter, bias);
      const relu = given(norm!) ? null : onlyConsumer(norm!);
      const activation = relu ? reluOf(relu) : null;
      taken.add(norm!);
      if (activation) taken.add(relu!);
      steps.push({ run: convolution(layer, filter, bias, activation ?? 'linear', pad?.padding), inputs, output: (activation ? relu! : norm!).output as tf.SymbolicTensor });
      continue;
    }
    const run = stepOf(layer, pad?.padding);
    if (!run) return fail();
    steps.push({ run, inputs, output: layer.output as tf.SymbolicTensor });
  }
  const modelInput = model.inputs[0]!;
  return {
    run: (input) =>
      tf.tidy(() => {
        const values = new Map<tf.SymbolicTensor, tf.Tensor>([[modelInput, input]]);
        for (const { run, inputs, output } of steps) values.set(output, run(inputs.map((from) => values.get(from)!)));
        return model.outputs.map((output) => values.get(output)!);
      }),
    dispose: () => tf.dispose(owned),
  };
}
