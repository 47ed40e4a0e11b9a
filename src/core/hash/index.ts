export type { BinaryData } from './bytes';
export { utf8Bytes } from './bytes';
export { sha256Hex } from './sha256';
export { md5Hex } from './md5';
export { hashBytes, hashMany, warmUpHashers, type ContentHashes } from './hash-bytes';
export { hashBlob, type HashBlobOptions } from './hash-blob';
export { compareCodePoints, sortByCodePoints } from './compare-code-points';
export {
  pythonJsonString,
  dvcDirText,
  dvcDirHash,
  dvcFileText,
  dvcCachePath,
  type DvcDirEntry,
  type DvcOut,
} from './dvc';
