export * from './types';
export { canonicalJson } from './canonicalJson';
export { objectId, encodeObject } from './objectId';
export { buildDataset, dvcDirInfo } from './buildDataset';
export { referencesOf, type References } from './referencesOf';
export { validateObject } from './validateObject';
