export { openStore, type OpenStoreOptions } from './open-store';
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
export { objectOf } from './read-objects';
export type { UnderLock } from './under-lock';
export type { CommitInput } from './commit';
export type { BlobInput, PutBlobResult, PutBlobsOptions, PutBlobsProgress, PutBlobsResult } from './put-blobs';
export type { GcOptions, GcResult } from './gc';
export type { VerifyOptions, VerifyProgress, VerifyReport } from './verify';
export type { StoreUsage } from './usage';
export type { FeatureUsage } from './features';
