import type * as tf from '@tensorflow/tfjs';
import type { Version } from '../objects/types';
import type { Store } from '../store';
import { loadSnapshot } from '../train/snapshot';
import type { ModelFiles } from './model-files';
import type { ModelMetadata } from './model-metadata';
import { ModelImportError } from './model-import-error';
import { parseModelJson, type ParsedModelJson } from './parse-model-json';
import { parseModelMetadata } from './parse-model-metadata';
import { saveImportedRun } from './save-imported-run';
import { verifyWeights } from './verify-weights';

export interface ImportedModel {
  runId: string;
  version: Version;
  /** Loaded, for "Classify an image" without reading it back. */
  model: tf.LayersModel;
  classNames: string[];
  imageSize: number;
}

/**
 * "Import model": the three files of "Download model" become the last run on
 * the workspace data set. Every check comes before anything is stored —
 * both JSON files' shape and schema, weights.bin's size and SHA-256, the
 * model loading in tfjs with the input and output metadata.json describes,
 * the labels against the workspace's classes — so a refusal
 * (ModelImportError) leaves the store and the previous result as they were.
 * Only the save runs under the store lock: parsing, hashing and building the
 * model do not hold up other workers and tabs.
 */
export async function importModel(store: Store, files: ModelFiles): Promise<ImportedModel> {
  const modelJson = parseModelJson(files['model.json']);
  const metadata = parseModelMetadata(files['metadata.json']);
  const weights = files['weights.bin'];
  await verifyWeights(weights, modelJson.weightSpecs, metadata.weights);
  const model = await loadModel(modelJson, weights);
  try {
    checkShapes(model, metadata);
    const saved = await store.underLock((locked) => saveImportedRun(locked, { modelJson, weights, metadata }));
    return { runId: saved.runId, version: saved.version, model, classNames: metadata.labels, imageSize: metadata.imageSize };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

async function loadModel(modelJson: ParsedModelJson, weights: Uint8Array): Promise<tf.LayersModel> {
  try {
    return await loadSnapshot(modelJson, weights);
  } catch (error) {
    throw new ModelImportError('does-not-load', `TensorFlow.js cannot build a model from model.json and weights.bin: ${(error as Error).message}`);
  }
}

/** The model takes the images metadata.json describes and gives one output per label. */
function checkShapes(model: tf.LayersModel, { imageSize, inputShape, labels }: ModelMetadata): void {
  const expected = [imageSize, imageSize, 3];
  if (inputShape.join() !== expected.join()) {
    throw new ModelImportError('shape-mismatch', `metadata.json gives the input shape [${inputShape.join(', ')}]; for ${imageSize}×${imageSize} RGB images it should be [${expected.join(', ')}].`);
  }
  const input = model.inputs.length === 1 ? model.inputs[0]!.shape.slice(1) : null;
  if (input?.join() !== expected.join()) {
    throw new ModelImportError(
      'shape-mismatch',
      `The model in model.json takes ${input ? `inputs of shape [${input.join(', ')}]` : `${model.inputs.length} inputs`}, but metadata.json describes ${imageSize}×${imageSize} RGB images: the files do not belong together.`,
    );
  }
  const output = model.outputs.length === 1 ? model.outputs[0]!.shape.slice(1) : null;
  if (output?.join() !== String(labels.length)) {
    throw new ModelImportError(
      'shape-mismatch',
      `The model in model.json gives ${output ? `outputs of shape [${output.join(', ')}]` : `${model.outputs.length} outputs`}, but metadata.json names ${labels.length} labels (${labels.join(', ')}): the files do not belong together.`,
    );
  }
}
