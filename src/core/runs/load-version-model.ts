import type { LayersModel } from '@tensorflow/tfjs-layers';
import type { FeatureSource } from '../objects/types';
import type { Store } from '../store';
import { loadSnapshot } from '../train/snapshot';

export interface LoadedModel {
  versionId: string;
  modelId: string;
  /** A convnet, or the head of a backbone's features. */
  model: LayersModel;
  classNames: string[];
  /** The side of the images a convnet takes (a head takes features: see `features`). */
  inputSize: number;
  /** For a head: the backbone layer that feeds it. */
  features: FeatureSource | undefined;
}

/** A version's model, rebuilt from its stored record and weights, ready to predict. */
export async function loadVersionModel(store: Store, versionId: string): Promise<LoadedModel> {
  const version = await store.getObject(versionId, 'version');
  if (version.model === null) throw new Error('This version holds data only: it has no model.');
  const record = await store.getObject(version.model, 'model');
  const weights = new Uint8Array(await (await store.getBlob(record.weights)).arrayBuffer());
  return {
    versionId,
    modelId: version.model,
    model: await loadSnapshot(record, weights),
    classNames: record.classNames,
    inputSize: record.inputShape[0]!,
    features: record.features,
  };
}
