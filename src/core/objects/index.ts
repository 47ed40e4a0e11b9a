export * from './types';
export { canonicalJson } from './canonical-json';
export { objectId, encodeObject } from './object-id';
export { buildDataset, dvcDirInfo } from './build-dataset';
export { referencesOf, type References } from './references-of';
export { validateObject } from './validate-object';
