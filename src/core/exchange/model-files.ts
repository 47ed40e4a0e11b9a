import type { Store } from '../store';
import { VersionError } from '../versions/errors';
import { appVersionOf } from './app-version';
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
  const source = await readModelSource(store, versionId);
  const texts = modelTexts(source);
  const weights = new Uint8Array(await (await store.getBlob(source.model.weights)).arrayBuffer());
  return { 'model.json': texts['model.json'], 'weights.bin': weights, 'metadata.json': texts['metadata.json'] };
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

async function readModelSource(store: Store, versionId: string): Promise<ModelSource> {
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
