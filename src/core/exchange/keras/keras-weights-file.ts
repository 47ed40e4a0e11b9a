import { readModelGraph, UnsupportedLayerError, type ModelGraph } from '../model-graph';
import type { ModelSource } from '../model-metadata';
import { kerasWeightGroups } from './keras-weights';
import { writeWeightsH5 } from './write-weights-h5';

/**
 * model.weights.h5 of a version's model, as Keras 3 would save the same
 * weights; `time` stamps the file (the version's date). Null for a model
 * whose topology has no Keras layer graph to name the weights by (an
 * imported model of another shape): the project then goes without it.
 */
export async function kerasWeightsFile(source: ModelSource, weights: Uint8Array, time: Date): Promise<Uint8Array | null> {
  let graph: ModelGraph;
  try {
    graph = readModelGraph(source.model, weights);
  } catch (error) {
    if (error instanceof UnsupportedLayerError) return null;
    throw error;
  }
  return writeWeightsH5(kerasWeightGroups(graph), time);
}
