export type { BinaryData } from './bytes';
export { utf8Bytes } from './bytes';
export { sha256Hex } from './sha256';
export { md5Hex } from './md5';
export { hashBytes, hashMany, warmUpHashers, type ContentHashes } from './hashBytes';
export { hashBlob, type HashBlobOptions } from './hashBlob';
export { compareCodePoints, sortByCodePoints } from './compareCodePoints';
export {
  pythonJsonString,
  dvcDirText,
  dvcDirHash,
  dvcFileText,
  dvcCachePath,
  type DvcDirEntry,
  type DvcOut,
} from './dvc';
