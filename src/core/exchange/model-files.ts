import type { Store } from '../store';
import { VersionError } from '../versions/errors';
import { sha256Hex } from '../hash/sha256';
import type { ModelRecord } from '../objects/types';
import { appVersionOf } from './app-version';
import { joinedModel } from './joined-model';
import { modelMetadata, type ModelSource } from './model-metadata';
import { tfjsModelJson } from './tfjs-model-json';

/** The weights file's name, as model.json's manifest names it. */
export const WEIGHTS_FILE = 'weights.bin';

/** The files of "Download model", by name: the TensorFlow.js pair and what to know to use it. */
export interface ModelFiles {
  'model.json': string;
  'weights.bin': Uint8Array;
  'metadata.json': string;
}

/**
 * A version's model as TensorFlow.js files: model.json + weights.bin load with
 * stock `tf.loadLayersModel`; metadata.json gives labels, image size,
 * preprocessing, version, data set hash, metrics and params. A data-only
 * version is refused (VersionError 'no-model').
 */
export async function exportModelFiles(store: Store, versionId: string): Promise<ModelFiles> {
  return modelFilesOf(store, await readModelSource(store, versionId));
}

/**
 * The files of a version's model. A head on pretrained features is joined with
 * its backbone (joinedModel): one model, image in, probabilities out, so the
 * files run anywhere tfjs runs without Pawprint's feature cache.
 */
export async function modelFilesOf(store: Store, source: ModelSource): Promise<ModelFiles> {
  const exported = await exportedModel(store, source);
  const texts = modelTexts(exported.source);
  return { 'model.json': texts['model.json'], 'weights.bin': exported.weights, 'metadata.json': texts['metadata.json'] };
}

/**
 * The model as every export writes it (tfjs files, ONNX, Keras weights) and
 * its weights: a head on pretrained features joined with its backbone.
 */
export async function exportedModel(store: Store, source: ModelSource): Promise<{ source: ModelSource; weights: Uint8Array }> {
  const weights = await blobBytes(store, source.model.weights);
  return source.model.features ? joinedSource(store, source, weights) : { source, weights };
}

async function joinedSource(store: Store, source: ModelSource, headWeights: Uint8Array): Promise<{ source: ModelSource; weights: Uint8Array }> {
  const backbone = await store.getObject(source.model.features!.backbone, 'model');
  const joined = joinedModel(backbone, await blobBytes(store, backbone.weights), source.model, headWeights);
  const model: ModelRecord = {
    ...source.model,
    inputShape: joined.inputShape,
    modelTopology: joined.modelTopology,
    weightSpecs: joined.weightSpecs,
    weights: await sha256Hex(joined.weights),
    weightsSize: joined.weights.byteLength,
  };
  return { source: { ...source, model }, weights: joined.weights };
}

async function blobBytes(store: Store, sha256: string): Promise<Uint8Array> {
  return new Uint8Array(await (await store.getBlob(sha256)).arrayBuffer());
}

/** model.json and metadata.json of a version's model: what goes beside weights.bin. */
export function modelTexts(source: ModelSource): Pick<ModelFiles, 'model.json' | 'metadata.json'> {
  const appVersion = appVersionOf(source.version);
  const generatedBy = appVersion === null ? 'Pawprint' : `Pawprint ${appVersion}`;
  return {
    'model.json': JSON.stringify(tfjsModelJson(source.model, WEIGHTS_FILE, generatedBy)),
    'metadata.json': `${JSON.stringify(modelMetadata(source), null, 2)}\n`,
  };
}

export async function readModelSource(store: Store, versionId: string): Promise<ModelSource> {
  const version = await store.getObject(versionId, 'version');
  if (version.model === null) {
    const name = version.message ? `“${version.message}”` : versionId.slice(0, 8);
    throw new VersionError('no-model', `Version ${name} holds data only, so there is no model to download: train a model and commit it first.`);
  }
  const [model, dataset] = await Promise.all([
    store.getObject(version.model, 'model'),
    store.getObject(version.dataset, 'dataset'),
  ]);
  return { versionId, version, model, dataset };
}
