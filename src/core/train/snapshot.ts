import * as tf from '@tensorflow/tfjs';
import type { ModelRecord } from '../objects/types';

export interface SnapshotMeta {
  architecture: string;
  classNames: string[];
}

/** A model ready for the store: the record lacks only the hash of `weights`, which the store computes when it keeps the bytes as a blob. */
export interface ModelSnapshot {
  record: Omit<ModelRecord, 'weights'>;
  weights: Uint8Array;
}

/** Captures a LayersModel's own artifacts (topology, weight specs, weight bytes) through an in-memory save handler. */
export async function snapshotModel(model: tf.LayersModel, meta: SnapshotMeta): Promise<ModelSnapshot> {
  let artifacts: tf.io.ModelArtifacts | undefined;
  await model.save(
    tf.io.withSaveHandler(async (saved) => {
      artifacts = saved;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }),
  );
  if (!artifacts?.modelTopology || !artifacts.weightSpecs || !artifacts.weightData) {
    throw new Error('tfjs saved the model without its topology or weights.');
  }
  const weights = new Uint8Array(tf.io.CompositeArrayBuffer.join(artifacts.weightData));
  const inputShape = model.inputs[0]!.shape.slice(1) as number[];
  return {
    record: {
      kind: 'model',
      schema: 1,
      architecture: meta.architecture,
      inputShape,
      classNames: meta.classNames,
      // A JSON round trip leaves plain data only, which is what the object's canonical JSON accepts.
      modelTopology: JSON.parse(JSON.stringify(artifacts.modelTopology)) as unknown,
      weightSpecs: artifacts.weightSpecs.map((spec) => ({ ...spec })),
      weightsSize: weights.byteLength,
    },
    weights,
  };
}

/** Rebuilds the LayersModel from a stored record and its weight bytes (inference only: not compiled). */
export async function loadSnapshot(
  record: Pick<ModelRecord, 'modelTopology' | 'weightSpecs'>,
  weights: Uint8Array,
): Promise<tf.LayersModel> {
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: record.modelTopology as object,
      weightSpecs: record.weightSpecs as tf.io.WeightsManifestEntry[],
      // slice(): the exact bytes, even when `weights` is a view into a larger buffer.
      weightData: weights.slice().buffer,
    }),
  );
}
