import { readModelGraph } from '../model-graph';
import type { ModelSource } from '../model-metadata';
import { kerasWeightGroups } from './keras-weights';
import { writeWeightsH5 } from './write-weights-h5';

/** model.weights.h5 of a version's model, as Keras 3 would save the same weights; `time` stamps the file (the version's date). */
export async function kerasWeightsFile(source: ModelSource, weights: Uint8Array, time: Date): Promise<Uint8Array> {
  return writeWeightsH5(kerasWeightGroups(readModelGraph(source.model, weights)), time);
}
