import * as tf from '@tensorflow/tfjs';
import { parseJsonObject, readArray, readObject, readString } from '../exchange/json-fields';
import { ModelImportError } from '../exchange/model-import-error';
import { readWeightSpec, type WeightSpec } from '../exchange/parse-model-json';
import { weightsByteSize } from '../exchange/weights-byte-size';
import type { PretrainedInfo } from '../objects/types';
import type { Store } from '../store';
import { storeBackbone, type StoredBackbone } from './backbones';
import type { BackboneFiles } from './bundled-backbone';
import { loadExtractor } from './extractor';
import { DEFAULT_BACKBONE_SIZE } from './feature-set';

/**
 * "Import backbone": a tfjs image model as its files (model.json and the weight
 * files its manifest names), checked before anything is stored: JSON of the
 * layers-model or graph-model format, every weight file present and of the
 * size its specs add up to, tfjs builds it, it takes square RGB images, and a
 * layer gives features (the one before its output, unless `layer` names
 * another). Refusals are ModelImportErrors; then nothing is stored.
 */
export async function readBackbone(files: ReadonlyMap<string, Uint8Array>, inputRange: [number, number], layer?: string): Promise<BackboneFiles> {
  const jsonNames = [...files.keys()].filter((name) => /\.json$/i.test(name));
  if (jsonNames.length !== 1) {
    throw new ModelImportError('missing-file', jsonNames.length === 0 ? 'Pick the model.json of the backbone with its weight files.' : `${jsonNames.join(' and ')} could both be the model: pick one model.json.`);
  }
  const modelFile = jsonNames[0]!;
  const json = parseJsonObject(new TextDecoder().decode(files.get(modelFile)), modelFile);
  const format = json['format'] ?? 'layers-model';
  if (format !== 'layers-model' && format !== 'graph-model') {
    throw new ModelImportError('wrong-format', `${modelFile} has format “${String(format)}”: a backbone is a TensorFlow.js Layers or Graph model.`);
  }
  const modelTopology = readObject(json['modelTopology'], `${modelFile}’s modelTopology`);
  const groups = readArray(json['weightsManifest'], `${modelFile}’s weightsManifest`).map((group, i) => readObject(group, `${modelFile}’s weightsManifest[${i}]`));
  const paths = groups.flatMap((group, i) => readArray(group['paths'], `${modelFile}’s weightsManifest[${i}].paths`).map((path) => readString(path, `${modelFile}’s weight file name`)));
  const byName = new Map([...files].map(([name, bytes]) => [name.split('/').at(-1)!, bytes]));
  const missing = paths.filter((path) => !byName.has(path.split('/').at(-1)!));
  if (missing.length > 0) throw new ModelImportError('missing-file', `Missing ${missing.join(', ')}: pick every weight file ${modelFile} names, with it.`);
  const named = new Set(paths.map((path) => path.split('/').at(-1)!));
  const extra = [...byName.keys()].filter((name) => name !== modelFile.split('/').at(-1) && !named.has(name));
  if (extra.length > 0) throw new ModelImportError('missing-file', `${extra.join(', ')} ${extra.length === 1 ? 'is' : 'are'} not named by ${modelFile}’s weightsManifest.`);
  const weightSpecs: WeightSpec[] = groups.flatMap((group, i) =>
    readArray(group['weights'], `${modelFile}’s weightsManifest[${i}].weights`).map((spec, j) => readWeightSpec(spec, `${modelFile}’s weight ${i}.${j}`)),
  );
  const parts = paths.map((path) => byName.get(path.split('/').at(-1)!)!);
  const weights = new Uint8Array(parts.reduce((sum, part) => sum + part.byteLength, 0));
  parts.reduce((at, part) => (weights.set(part, at), at + part.byteLength), 0);
  const expected = weightsByteSize(weightSpecs);
  if (weights.byteLength !== expected) {
    throw new ModelImportError('size-mismatch', `The weight files hold ${weights.byteLength} bytes, but ${modelFile} describes ${expected}: a file is missing, truncated or from another model.`);
  }

  const size = await inputSide(modelTopology, weightSpecs, weights, format, modelFile);
  const name = modelName(modelTopology, modelFile);
  const chosen = layer ?? defaultLayer(modelTopology, format);
  const pretrained: PretrainedInfo = { name, format, inputRange, layer: chosen };
  const record = { kind: 'model', schema: 1, architecture: 'backbone', inputShape: [size, size, 3], classNames: [], modelTopology, weightSpecs, pretrained } as const;
  const extractor = await loadExtractor({ ...record, inputShape: [size, size, 3], weightSpecs }, weights, chosen).catch((error: unknown) => {
    throw new ModelImportError('shape-mismatch', `The layer “${chosen}” gives no features: ${(error as Error).message}`);
  });
  extractor.dispose();
  return { record: { ...record, inputShape: [size, size, 3], classNames: [], pretrained }, weights };
}

/** Checks and stores an imported backbone (the store lock only for storing): its id and record. */
export async function importBackbone(store: Store, files: ReadonlyMap<string, Uint8Array>, inputRange: [number, number]): Promise<StoredBackbone> {
  const backbone = await readBackbone(files, inputRange);
  return store.underLock((locked) => storeBackbone(locked, backbone));
}

/** tfjs builds the model and it takes [n, s, s, 3] (an open side: DEFAULT_BACKBONE_SIZE); the side. */
async function inputSide(modelTopology: object, weightSpecs: WeightSpec[], weights: Uint8Array, format: 'layers-model' | 'graph-model', file: string): Promise<number> {
  const artifacts = { modelTopology, weightSpecs: weightSpecs as tf.io.WeightsManifestEntry[], weightData: weights.slice().buffer, format };
  let model: tf.LayersModel | tf.GraphModel;
  try {
    model = format === 'graph-model' ? await tf.loadGraphModel(tf.io.fromMemory(artifacts)) : await tf.loadLayersModel(tf.io.fromMemory(artifacts));
  } catch (error) {
    throw new ModelImportError('does-not-load', `TensorFlow.js cannot build the model in ${file}: ${(error as Error).message}`);
  }
  try {
    const shape = (model.inputs[0]?.shape ?? []) as (number | null)[];
    const [, height, width, channels] = shape.map((n) => (n === null || n < 0 ? null : n));
    if (shape.length !== 4 || channels !== 3 || height !== width) {
      throw new ModelImportError('shape-mismatch', `The model takes ${JSON.stringify(shape)}; a backbone takes square RGB images, [batch, size, size, 3].`);
    }
    return height ?? DEFAULT_BACKBONE_SIZE;
  } finally {
    model.dispose();
  }
}

/** The layer before the model's output (a classifier's features), by the topology. */
function defaultLayer(topology: Record<string, unknown>, format: 'layers-model' | 'graph-model'): string {
  if (format === 'graph-model') {
    const nodes = ((topology['node'] ?? []) as { name: string; op: string; input?: string[] }[]).filter((node) => node.op !== 'Const' && node.op !== 'Placeholder');
    const output = nodes.at(-1);
    const input = output?.input?.map((name) => name.replace(/^\^/, '').replace(/:\d+$/, '')).find((name) => nodes.some((node) => node.name === name));
    return input ?? output?.name ?? '';
  }
  type Keras = { config?: { layers?: { name?: string; config?: { name?: string } }[] } };
  const keras = topology as Keras & { model_config?: Keras };
  const layers = (keras.model_config ?? keras).config?.layers ?? [];
  const before = layers.at(-2) ?? layers.at(-1);
  return before?.name ?? before?.config?.name ?? '';
}

/** The model's own name when it has one, else the file's. */
function modelName(topology: Record<string, unknown>, file: string): string {
  type Keras = { config?: { name?: unknown } };
  const keras = topology as Keras & { model_config?: Keras };
  const own = (keras.model_config ?? keras).config?.name;
  const base = file.split('/').at(-1)!.replace(/\.json$/i, '');
  return `${typeof own === 'string' && own ? own : base} (imported)`;
}
