import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/core/hash';
import { canonicalJson, objectId, type ModelRecord } from '../../src/core/objects';
import type { PixelCache } from '../../src/core/preprocess/pixels';
import {
  DEFAULT_PARAMS,
  REFERENCE_CONVNET,
  buildReferenceConvnet,
  evaluateModel,
  loadSnapshot,
  pixelInputs,
  snapshotModel,
  trainModel,
  type Example,
  type TrainOptions,
  type TrainParams,
} from '../../src/core/train';

/** The smallest size the reference convnet takes: tfjs' cpu Conv2DBackpropFilter costs ~0.25 s per image-step even here. */
const SIZE = 22;

/** Flat-colour images: dark ones are class 0, light ones class 1; each image a slightly different shade. */
function shades(values: number[]): PixelCache {
  const bytes = SIZE * SIZE * 3;
  const pixels = new Uint8Array(values.length * bytes);
  values.forEach((value, i) => pixels.fill(value, i * bytes, (i + 1) * bytes));
  return {
    datasetId: 'shades',
    size: SIZE,
    channels: 3,
    sha256: values.map((value) => `shade-${value}`),
    originalSizes: values.map(() => [SIZE, SIZE]),
    pixels,
    failures: [],
  };
}

const examplesOf = (values: number[]): Example[] => values.map((value) => ({ sha256: `shade-${value}`, label: value < 128 ? 0 : 1 }));

const TRAIN = [0, 30, 225, 255];
const VALIDATION = [10, 240];
const cache = shades([...TRAIN, ...VALIDATION]);
const train = examplesOf(TRAIN);
const validation = examplesOf(VALIDATION);
const params: TrainParams = { ...DEFAULT_PARAMS, imageSize: SIZE, epochs: 1, batchSize: 2, learningRate: 0.01 };

type Hooks = Pick<TrainOptions, 'onBatch' | 'onEpoch'>;

/** Builds and trains the convnet on the shades; `hooks` may look at the model being trained. */
async function run(overrides: Partial<TrainParams> = {}, signal = new AbortController().signal, hooks: (model: tf.LayersModel) => Hooks = () => ({})) {
  const runParams = { ...params, ...overrides };
  const model = buildReferenceConvnet({ imageSize: SIZE, classes: 2, seed: runParams.seed });
  const result = await trainModel({ model, inputs: pixelInputs(cache), train, validation, classes: 2, params: runParams, signal, ...hooks(model) });
  return { model, result };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the reference convnet', () => {
  it('has DESIGN.md’s layers and shapes, and accepts the smallest image size', () => {
    const model = buildReferenceConvnet({ imageSize: 64, classes: 3, seed: 1 });
    expect(model.layers.map((layer) => [layer.name, layer.outputShape])).toEqual([
      ['conv1', [null, 62, 62, 32]],
      ['pool1', [null, 31, 31, 32]],
      ['conv2', [null, 29, 29, 64]],
      ['pool2', [null, 14, 14, 64]],
      ['conv3', [null, 12, 12, 128]],
      ['pool3', [null, 6, 6, 128]],
      ['flatten', [null, 4608]],
      ['dense', [null, 128]],
      ['dropout', [null, 128]],
      ['output', [null, 3]],
    ]);
    expect(model.countParams()).toBe(896 + 18496 + 73856 + (4608 * 128 + 128) + (128 * 3 + 3));
    model.dispose();
    const smallest = buildReferenceConvnet({ imageSize: 22, classes: 2, seed: 1 });
    expect(smallest.getLayer('flatten').outputShape).toEqual([null, 128]);
    smallest.dispose();
  });

  it('gives the same initial weights for the same seed and different ones for another', async () => {
    const weightsOf = async (seed: number) => {
      const model = buildReferenceConvnet({ imageSize: SIZE, classes: 2, seed });
      const values = await model.getWeights()[0]!.data();
      model.dispose();
      return Array.from(values);
    };
    expect(await weightsOf(3)).toEqual(await weightsOf(3));
    expect(await weightsOf(3)).not.toEqual(await weightsOf(4));
  });
});

describe('trainModel', () => {
  it('learns a trivially separable set and keeps the tensor count flat across epochs', async () => {
    const before = tf.memory().numTensors;
    const afterEpoch: number[] = [];
    const progress: number[] = [];
    const dropoutSeeds = new Set<unknown>();
    const { model, result } = await run({ epochs: 3 }, undefined, (training) => ({
      onEpoch: () => afterEpoch.push(tf.memory().numTensors),
      onBatch: ({ images }) => {
        progress.push(images);
        dropoutSeeds.add(training.getLayer('dropout').getConfig()['seed']);
      },
    }));
    expect(result.stopped).toBe(false);
    expect(result.history.map((row) => row.epoch)).toEqual([0, 1, 2]);
    expect(result.history.at(-1)!.val_accuracy).toBe(1);
    expect(result.history.at(-1)!.val_loss).toBeLessThan(result.history[0]!.val_loss);
    expect(afterEpoch).toHaveLength(3);
    expect(new Set(afterEpoch).size).toBe(1);
    expect(progress).toEqual([2, 4, 6, 8, 10, 12]);
    expect(result.imagesPerSecond).toBeGreaterThan(0);
    // A fresh dropout mask per batch, and the built seed (42 + layer index 8) back in the topology afterwards.
    expect(dropoutSeeds.size).toBe(6);
    expect(model.getLayer('dropout').getConfig()['seed']).toBe(50);
    // The optimizer's state goes with the run: only the model's weights remain.
    expect(tf.memory().numTensors).toBe(before + model.getWeights().length);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('stops within one batch when the signal aborts, keeping only whole epochs and no tensors', async () => {
    const controller = new AbortController();
    const batches: string[] = [];
    const before = tf.memory().numTensors;
    const { model, result } = await run({ epochs: 3 }, controller.signal, () => ({
      onBatch: ({ epoch, batch }) => {
        batches.push(`${epoch}.${batch}`);
        if (epoch === 1 && batch === 0) controller.abort();
      },
    }));
    expect(result.stopped).toBe(true);
    expect(batches).toEqual(['0.0', '0.1', '1.0']);
    expect(result.history.map((row) => row.epoch)).toEqual([0]);
    expect(tf.memory().numTensors).toBe(before + model.getWeights().length);
    model.dispose();
  });

  it('is bit-for-bit reproducible on cpu for a seed (same model hash), with augmentation on', async () => {
    const augment = { flip: true, shift: true };
    const trained = async (seed: number) => {
      const { model, result } = await run({ seed, augment });
      const snapshot = await snapshotModel(model, { architecture: REFERENCE_CONVNET, classNames: ['dark', 'light'] });
      model.dispose();
      const record: ModelRecord = { ...snapshot.record, weights: await sha256Hex(snapshot.weights) };
      return { history: result.history, weights: snapshot.weights, id: await objectId(record) };
    };
    const first = await trained(42);
    const second = await trained(42);
    const other = await trained(43);
    expect(second.history).toEqual(first.history);
    expect(Buffer.from(second.weights).equals(Buffer.from(first.weights))).toBe(true);
    expect(second.id).toBe(first.id);
    expect(Buffer.from(other.weights).equals(Buffer.from(first.weights))).toBe(false);
    expect(other.id).not.toBe(first.id);
  });
});

describe('model snapshots', () => {
  it('round-trips to a model with identical predictions', async () => {
    const model = buildReferenceConvnet({ imageSize: SIZE, classes: 2, seed: 5 });
    const snapshot = await snapshotModel(model, { architecture: REFERENCE_CONVNET, classNames: ['dark', 'light'] });
    expect(snapshot.record).toMatchObject({ kind: 'model', schema: 1, architecture: REFERENCE_CONVNET, inputShape: [SIZE, SIZE, 3], classNames: ['dark', 'light'] });
    expect(snapshot.record.weightsSize).toBe(snapshot.weights.byteLength);
    expect(snapshot.record.weightSpecs.map((spec) => (spec as { name: string }).name)).toContain('conv1/kernel');
    expect(() => canonicalJson(snapshot.record)).not.toThrow();

    const loaded = await loadSnapshot(snapshot.record, snapshot.weights);
    const input = tf.tensor4d(Float32Array.from(cache.pixels.subarray(0, 3 * SIZE * SIZE * 3), (v, i) => ((v + i) % 256) / 255), [3, SIZE, SIZE, 3]);
    const original = model.predict(input) as tf.Tensor;
    const restored = loaded.predict(input) as tf.Tensor;
    expect(Array.from(await restored.data())).toEqual(Array.from(await original.data()));
    tf.dispose([input, original, restored]);
    model.dispose();
    loaded.dispose();
  });
});

describe('evaluateModel', () => {
  /** p(light) = sigmoid(10·(mean brightness − 0.5)): a model whose every answer is known in advance. */
  function brightnessModel(): tf.LayersModel {
    const model = tf.sequential({
      layers: [
        tf.layers.globalAveragePooling2d({ inputShape: [SIZE, SIZE, 3], dataFormat: 'channelsLast' }),
        tf.layers.dense({ units: 2, activation: 'softmax' }),
      ],
    });
    const k = 5 / 3;
    model.setWeights([tf.tensor2d([[-k, k], [-k, k], [-k, k]]), tf.tensor1d([2.5, -2.5])]);
    return model;
  }

  it('computes the confusion matrix, per-class scores and the most confident mistakes', async () => {
    const values = [0, 1, 2, 254, 253, 255, 191, 3];
    const labels = [0, 0, 0, 1, 1, 0, 0, 1];
    const evalCache = shades(values);
    const examples = values.map((value, i) => ({ sha256: `shade-${value}`, label: labels[i]! }));
    const model = brightnessModel();
    const before = tf.memory().numTensors;
    const result = await evaluateModel(model, pixelInputs(evalCache), examples, 2, { batchSize: 3 });
    expect(tf.memory().numTensors).toBe(before);
    expect(result.confusion).toEqual([
      [3, 2],
      [1, 2],
    ]);
    expect(result.accuracy).toBe(5 / 8);
    expect(result.perClass).toEqual([
      { precision: 3 / 4, recall: 3 / 5, accuracy: 5 / 8, support: 5 },
      { precision: 2 / 4, recall: 2 / 3, accuracy: 5 / 8, support: 3 },
    ]);
    expect(result.worst.map(({ sha256, trueLabel, predicted }) => [sha256, trueLabel, predicted])).toEqual([
      ['shade-255', 0, 1],
      ['shade-3', 1, 0],
      ['shade-191', 0, 1],
    ]);
    expect(result.worst[0]!.confidence).toBeCloseTo(1 / (1 + Math.exp(-5)), 5);
    expect(result.worst[2]!.confidence).toBeCloseTo(1 / (1 + Math.exp(-10 * (191 / 255 - 0.5))), 5);
    model.dispose();
  });

  it('stops when the signal aborts', async () => {
    const model = brightnessModel();
    const controller = new AbortController();
    controller.abort();
    await expect(evaluateModel(model, pixelInputs(cache), train, 2, { batchSize: 2, signal: controller.signal })).rejects.toThrow();
    model.dispose();
  });
});
