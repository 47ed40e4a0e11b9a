import type { Store } from '../store';
import { VersionError } from '../versions/errors';
import { readObjectOfKind } from '../versions/read-objects';
import { appVersionOf } from './app-version';
import { modelMetadata } from './model-metadata';
import { tfjsModelJson } from './tfjs-model-json';

/** The weights file's name, as model.json's manifest names it. */
export const WEIGHTS_FILE = 'weights.bin';

/** The files of "Download model", by name: the TensorFlow.js pair and what to know to use it. */
export interface ModelFiles {
  'model.json': string;
  'weights.bin': Uint8Array;
  'metadata.json': string;
}

/** model.json and metadata.json of a version's model, and the weights' blob (not read). */
export interface ModelTextFiles {
  'model.json': string;
  'metadata.json': string;
  weights: { sha256: string; size: number };
}

/**
 * A version's model as TensorFlow.js files: model.json + weights.bin load with
 * stock `tf.loadLayersModel`; metadata.json gives labels, image size,
 * preprocessing, version, data set hash, metrics and params. A data-only
 * version is refused (VersionError 'no-model').
 */
export async function exportModelFiles(store: Store, versionId: string): Promise<ModelFiles> {
  const texts = await modelTextFiles(store, versionId);
  const weights = new Uint8Array(await (await store.getBlob(texts.weights.sha256)).arrayBuffer());
  return { 'model.json': texts['model.json'], 'weights.bin': weights, 'metadata.json': texts['metadata.json'] };
}

/** The two text files of exportModelFiles, for callers that take the weights' bytes from elsewhere. */
export async function modelTextFiles(store: Store, versionId: string): Promise<ModelTextFiles> {
  const version = await readObjectOfKind(store, versionId, 'version');
  if (version.model === null) {
    const name = version.message ? `“${version.message}”` : versionId.slice(0, 8);
    throw new VersionError('no-model', `Version ${name} holds data only, so there is no model to download: train a model and commit it first.`);
  }
  const [model, dataset] = await Promise.all([
    readObjectOfKind(store, version.model, 'model'),
    readObjectOfKind(store, version.dataset, 'dataset'),
  ]);
  const appVersion = appVersionOf(version);
  const generatedBy = appVersion === null ? 'Pawprint' : `Pawprint ${appVersion}`;
  return {
    'model.json': JSON.stringify(tfjsModelJson(model, WEIGHTS_FILE, generatedBy)),
    'metadata.json': `${JSON.stringify(modelMetadata({ versionId, version, model, dataset }), null, 2)}\n`,
    weights: { sha256: model.weights, size: model.weightsSize },
  };
}
