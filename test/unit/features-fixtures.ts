// A tiny functional "backbone" (two convs and a residual add, then a tail a head never uses)
// stored like a real one, images whose pixels follow their first byte, and a decoder for them.
import * as tf from '@tensorflow/tfjs';
import { writeWorkspace } from '../../src/core/dataset/workspace';
import { storeBackbone } from '../../src/core/features/backbones';
import { loadExtractor } from '../../src/core/features/extractor';
import { buildFeatureHead } from '../../src/core/features/head';
import { loadFeatureData } from '../../src/core/runs/feature-data';
import { saveRun } from '../../src/core/runs/save-run';
import { openStore } from '../../src/core/store';
import { DEFAULT_PARAMS, type TrainParams } from '../../src/core/train/params';
import { trainModel } from '../../src/core/train/train';
import { evaluateModel } from '../../src/core/train/evaluate';
import { commitVersion } from '../../src/core/versions/commit-version';
import type { BackboneFiles } from '../../src/core/features/bundled-backbone';
import type { DatasetEntry, Split } from '../../src/core/objects/types';
import type { DecodeImage } from '../../src/core/preprocess/pixels';
import type { Store } from '../../src/core/store';

export const SIZE = 8;

/** Layers input → c1 → r1 → c2 → add(r1, c2) = "block" → tail conv → pool → dense: features come from "block". */
export async function tinyBackbone(inputRange: [number, number] = [0, 1]): Promise<BackboneFiles> {
  const input = tf.input({ shape: [SIZE, SIZE, 3], name: 'image' });
  const conv = (name: string, seed: number) => tf.layers.conv2d({ name, filters: 4, kernelSize: 3, padding: 'same', kernelInitializer: tf.initializers.glorotUniform({ seed }), biasInitializer: tf.initializers.constant({ value: 0.1 }) });
  const r1 = tf.layers.reLU({ name: 'r1' }).apply(conv('c1', 1).apply(input)) as tf.SymbolicTensor;
  const c2 = conv('c2', 2).apply(r1) as tf.SymbolicTensor;
  const block = tf.layers.add({ name: 'block' }).apply([r1, c2]) as tf.SymbolicTensor;
  const tail = tf.layers.globalAveragePooling2d({ name: 'tail_pool' }).apply(conv('tail', 3).apply(block)) as tf.SymbolicTensor;
  const output = tf.layers.dense({ name: 'tail_dense', units: 3, kernelInitializer: tf.initializers.glorotUniform({ seed: 4 }) }).apply(tail) as tf.SymbolicTensor;
  const model = tf.model({ inputs: input, outputs: output, name: 'tiny' });
  let saved: tf.io.ModelArtifacts | undefined;
  await model.save(tf.io.withSaveHandler(async (artifacts) => ((saved = artifacts), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
  model.dispose();
  return {
    record: {
      kind: 'model',
      schema: 1,
      architecture: 'backbone',
      inputShape: [SIZE, SIZE, 3],
      classNames: [],
      modelTopology: JSON.parse(JSON.stringify(saved!.modelTopology)) as unknown,
      weightSpecs: saved!.weightSpecs!.map((spec) => ({ ...spec })),
      pretrained: { name: 'Tiny test backbone', format: 'layers-model', inputRange, layer: 'block' },
    },
    weights: new Uint8Array(tf.io.CompositeArrayBuffer.join(saved!.weightData!)),
  };
}

/** Paints each image as a gradient set by its first byte; byte 0 means "undecodable". */
export const decode: DecodeImage = async (blob, size) => {
  const first = new Uint8Array(await blob.arrayBuffer())[0]!;
  if (first === 0) throw new Error('broken image');
  const rgba = new Uint8ClampedArray(size * size * 4);
  for (let i = 0; i < size * size; i++) rgba.set([(first * (i + 1)) % 256, first, 255 - first, 255], i * 4);
  return { rgba, width: size, height: size };
};

export interface Picture {
  path: string;
  split: Split;
  label: string;
  byte: number;
}

/** `count` pictures of a class: bytes from `first`, dark ones for "a", light ones for "b". */
export function pictures(split: Split, label: 'a' | 'b', count: number, first = 0): Picture[] {
  return Array.from({ length: count }, (_, i) => ({ path: `${split}/${label}/${first + i}.png`, split, label, byte: (label === 'a' ? 10 : 150) + ((first + i) % 90) }));
}

export async function workspaceOf(store: Store, images: readonly Picture[]) {
  const entries: DatasetEntry[] = [];
  for (const image of images) {
    const { record } = await store.putBlob(new Uint8Array([image.byte, ...new TextEncoder().encode(image.path)]));
    entries.push({ path: image.path, sha256: record.sha256, md5: record.md5, size: record.size, split: image.split, label: image.label });
  }
  entries.sort((x, y) => (x.path < y.path ? -1 : 1));
  return writeWorkspace(store, entries);
}

/** A head trained on the tiny backbone's "block" features of `images` (4 epochs, cpu), committed as v1.0 in a fresh store. */
export async function pretrainedVersion(images: Picture[], inputRange: [number, number] = [0, 1], layer = 'block') {
  const store = await openStore({ name: crypto.randomUUID() });
  const files = await tinyBackbone(inputRange);
  const { id, record } = await storeBackbone(store, files);
  const params: TrainParams = { ...DEFAULT_PARAMS, architecture: 'pretrained-features', backbone: id, featureLayer: layer, imageSize: SIZE, epochs: 4, batchSize: 4, learningRate: 0.01 };
  const extractor = await loadExtractor(record, files.weights, layer);
  const { id: datasetId } = await workspaceOf(store, images);
  const data = await loadFeatureData(store, params, async () => extractor, decode);
  const head = buildFeatureHead({ dims: data.dims, classes: 2, seed: params.seed });
  const result = await trainModel({ model: head, inputs: data.inputs, train: data.splits.train, validation: data.splits.validation, classes: 2, params, signal: new AbortController().signal });
  const evaluation = await evaluateModel(head, data.inputs, data.splits.validation, 2, { batchSize: params.batchSize });
  await saveRun(store, {
    model: head,
    datasetId: datasetId!,
    parent: null,
    params,
    history: result.history,
    run: { backend: 'cpu', adapter: 'cpu', appVersion: '0', seed: params.seed, durationMs: 1, imagesPerSecond: 1, stopped: false, heldOut: data.splits.heldOut, classNames: data.classNames, evaluation, deterministic: true, featureCache: { computed: data.extracted, cached: data.cached } },
    features: { backbone: id, layer, pooling: extractor.pooling },
  });
  const { id: versionId } = await commitVersion(store, { message: 'Head on tiny features', tag: 'v1.0' });
  return { store, versionId, data };
}
