import type { ModelRecord } from '../objects/types';

/** model.json in TensorFlow.js' LayersModel format (what `model.save('downloads://…')` writes). */
export interface TfjsModelJson {
  format: 'layers-model';
  generatedBy: string;
  convertedBy: null;
  modelTopology: unknown;
  weightsManifest: { paths: string[]; weights: unknown[] }[];
}

/**
 * The stored model as model.json, its weights in one file `weightsPath`
 * beside it: stock `tf.loadLayersModel` (http, browser files, or any IOHandler
 * that follows the manifest's paths) loads the pair.
 */
export function tfjsModelJson(model: ModelRecord, weightsPath: string, generatedBy: string): TfjsModelJson {
  return {
    format: 'layers-model',
    generatedBy,
    convertedBy: null,
    modelTopology: model.modelTopology,
    weightsManifest: [{ paths: [weightsPath], weights: model.weightSpecs }],
  };
}
