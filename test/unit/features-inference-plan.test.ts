import * as tf from '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { inferencePlan } from '../../src/core/features/inference-plan';

/** A small MobileNetV2-like block graph: padding, conv → BN → ReLU6, depthwise → BN → ReLU, a linear projection with a skip. */
function backboneLike(): tf.LayersModel {
  const input = tf.input({ shape: [12, 12, 3] });
  let x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.conv2d({ filters: 8, kernelSize: 3, strides: 2, useBias: false }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(x) as tf.SymbolicTensor;
  x = tf.layers.reLU({ maxValue: 6 }).apply(x) as tf.SymbolicTensor;
  const skip = x;
  let y = tf.layers.depthwiseConv2d({ kernelSize: 3, padding: 'same', useBias: false }).apply(x) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.reLU().apply(y) as tf.SymbolicTensor;
  y = tf.layers.conv2d({ filters: 8, kernelSize: 1, useBias: false }).apply(y) as tf.SymbolicTensor;
  y = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(y) as tf.SymbolicTensor;
  const sum = tf.layers.add().apply([skip, y]) as tf.SymbolicTensor;
  const out = tf.layers.globalAveragePooling2d({}).apply(sum) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: out });
  // Statistics that are not the identity, so folding has something to fold.
  for (const layer of model.layers.filter((l) => l.getClassName() === 'BatchNormalization')) {
    layer.setWeights(layer.getWeights().map((w, i) => tf.tidy(() => (i === 3 ? tf.randomUniform(w.shape, 0.5, 2, 'float32', 7) : tf.randomNormal(w.shape, 0, 0.5, 'float32', 11 + i)))));
  }
  return model;
}

afterEach(() => tf.disposeVariables());

describe('inferencePlan', () => {
  it('computes what model.predict computes, with every BatchNorm folded, every ReLU taken by its convolution and the padding too', async () => {
    await tf.setBackend('cpu');
    const model = backboneLike();
    const before = tf.memory().numTensors;
    const plan = inferencePlan(model)!;
    expect(plan).not.toBeNull();
    const x = tf.randomUniform([2, 12, 12, 3], 0, 1, 'float32', 3);
    const expected = model.predict(x) as tf.Tensor;
    const { result, kernels } = await tf.profile(() => plan.run(x));
    const actual = (result as tf.Tensor[])[0]!;
    const names = kernels.map((k) => k.name);
    expect(names).not.toContain('FusedBatchNorm');
    expect(names).not.toContain('Relu');
    expect(names).not.toContain('Relu6');
    expect(names, 'the padding is the strided convolution’s own').not.toContain('PadV2');
    expect(names.filter((n) => n === 'FusedConv2D' || n === 'FusedDepthwiseConv2D')).toHaveLength(3);
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0]!);
    expect(diff).toBeLessThan(1e-5);
    tf.dispose([x, expected, actual]);
    plan.dispose();
    expect(tf.memory().numTensors, 'the folded weights are freed').toBe(before);
    model.dispose();
  });

  it('gives every output of a model cut at several layers, an output a fold would have taken over included', async () => {
    await tf.setBackend('cpu');
    const whole = backboneLike();
    // The first BatchNorm's output (its ReLU6 would be taken over by the fold) and the first ReLU (the end of a fold).
    const [norm, relu] = [whole.layers.find((l) => l.getClassName() === 'BatchNormalization')!, whole.layers.find((l) => l.getClassName() === 'ReLU' && (l.getConfig() as { maxValue?: number | null }).maxValue == null)!];
    const model = tf.model({ inputs: whole.inputs, outputs: [norm.output as tf.SymbolicTensor, relu.output as tf.SymbolicTensor, whole.outputs[0]!] });
    const plan = inferencePlan(model)!;
    expect(plan).not.toBeNull();
    const x = tf.randomUniform([2, 12, 12, 3], 0, 1, 'float32', 5);
    const expected = model.predict(x) as tf.Tensor[];
    const actual = plan.run(x);
    expect(actual.map((t) => t.shape)).toEqual(expected.map((t) => t.shape));
    for (const [i, value] of actual.entries()) {
      expect(tf.tidy(() => tf.max(tf.abs(tf.sub(value, expected[i]!))).dataSync()[0]!)).toBeLessThan(1e-5);
    }
    tf.dispose([x, ...expected, ...actual]);
    plan.dispose();
    whole.dispose();
  });

  it('gives a strided depthwise convolution its padding, as MobileNetV2 pads before one', async () => {
    await tf.setBackend('cpu');
    const input = tf.input({ shape: [9, 9, 4] });
    let x = tf.layers.zeroPadding2d({ padding: [[0, 1], [0, 1]] }).apply(input) as tf.SymbolicTensor;
    x = tf.layers.depthwiseConv2d({ kernelSize: 3, strides: 2, useBias: false, depthwiseInitializer: tf.initializers.randomNormal({ seed: 3 }) }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.batchNormalization({ epsilon: 1e-3 }).apply(x) as tf.SymbolicTensor;
    x = tf.layers.reLU({ maxValue: 6 }).apply(x) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: x });
    const plan = inferencePlan(model)!;
    const images = tf.randomUniform([2, 9, 9, 4], -1, 2, 'float32', 4);
    const expected = model.predict(images) as tf.Tensor;
    const { result, kernels } = await tf.profile(() => plan.run(images));
    const actual = (result as tf.Tensor[])[0]!;
    expect(kernels.map((k) => k.name).filter((name) => !name.endsWith('__op'))).toEqual(['FusedDepthwiseConv2D']);
    expect(actual.shape).toEqual(expected.shape);
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(actual, expected))).dataSync()[0]!)).toBeLessThan(1e-5);
    tf.dispose([images, expected, actual]);
    plan.dispose();
    model.dispose();
  });

  it('gives null for a layer it does not know, so the model runs as it is', async () => {
    await tf.setBackend('cpu');
    const input = tf.input({ shape: [4] });
    const output = tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: output });
    const before = tf.memory().numTensors;
    expect(inferencePlan(model)).toBeNull();
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
