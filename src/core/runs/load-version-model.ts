import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { Store } from '../store';
import { loadSnapshot } from '../train/snapshot';

export interface LoadedModel {
  versionId: string;
  modelId: string;
  model: LayersModel;
  classNames: string[];
  imageSize: number;
}

/** A version's (or the last run's) model, rebuilt from its stored record and weights, ready to predict. */
export async function loadVersionModel(store: Store, versionId: string): Promise<LoadedModel> {
  const version = await store.getObject(versionId, 'version');
  if (version.model === null) throw new Error('This version holds data only: it has no model.');
  const record = await store.getObject(version.model, 'model');
  const weights = new Uint8Array(await (await store.getBlob(record.weights)).arrayBuffer());
  return { versionId, modelId: version.model, model: await loadSnapshot(record, weights), classNames: record.classNames, imageSize: record.inputShape[0]! };
}
