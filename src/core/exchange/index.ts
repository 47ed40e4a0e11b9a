// Exchange: the formats a version leaves the browser in (TensorFlow.js model files, a DVC project).
export { exportModelFiles, type ModelFiles } from './model-files';
export type { ModelMetadata } from './model-metadata';
export type { TfjsModelJson } from './tfjs-model-json';
export { exportDvcProject, type ExportDvcProjectOptions } from './dvc-project';
export { exportOnnx, ONNX_FILE } from './onnx/export-onnx';
export { UnsupportedLayerError } from './model-graph';
// importModel itself is imported from './import-model' by the train worker only: it loads tfjs.
export { pickModelFiles } from './pick-model-files';
