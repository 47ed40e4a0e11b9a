export { openStore, type OpenStoreOptions } from './open-store';
export { Store } from './store';
export {
  StoreError,
  MissingObjectError,
  CorruptObjectError,
  QuotaExceededError,
  quotaAt,
  FREE_SPACE,
  SchemaError,
  InvalidObjectError,
  RefsMovedError,
  type StoreErrorCode,
} from './errors';
export { DEFAULT_STORE_NAME, type BlobRecord, type ObjectRecord, type RefRecord } from './schema';
export { SCHEMA_VERSION } from './migrations';
export type { StoreLock } from './lock';
export type { DerivedUpdate } from './derived';
export type { CommitInput } from './commit';
export type { ExperimentUpdate } from './experiments';
export type { BlobInput, PutBlobResult, PutBlobsOptions, PutBlobsProgress, PutBlobsResult } from './put-blobs';
export type { GcOptions, GcResult } from './gc';
export type { CleanUpOptions, CleanUpResult } from './clean-up';
export type { UnreachableSummary } from './clean-up-plan';
export type { VerifyOptions, VerifyProgress, VerifyReport } from './verify';
export type { StoreUsage } from './usage';
export type { FeatureUsage } from './features';
