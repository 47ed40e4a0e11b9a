export { openStore, type OpenStoreOptions } from './openStore';
export { Store } from './store';
export {
  StoreError,
  MissingObjectError,
  CorruptObjectError,
  QuotaExceededError,
  SchemaError,
  InvalidObjectError,
  formatBytes,
  type StoreErrorCode,
} from './errors';
export { DEFAULT_STORE_NAME, type BlobRecord, type ObjectRecord, type RefRecord, type PawprintDB, type PawprintSchema } from './schema';
export { SCHEMA_VERSION } from './migrations';
export { objectOf } from './readObjects';
export type { UnderLock } from './underLock';
export type { CommitInput } from './commit';
export type { BlobInput, PutBlobResult, PutBlobsOptions, PutBlobsProgress, PutBlobsResult } from './putBlobs';
export type { GcOptions, GcResult } from './gc';
export type { VerifyOptions, VerifyProgress, VerifyReport } from './verify';
export type { StoreUsage } from './usage';
