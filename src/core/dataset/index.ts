// Public API of the ingest core: pure functions, no DOM, safe in workers.
export type { DroppedFile, ImageType, ImageSize, PathWithReason } from './types';
export { ignoredReason, imageTypeOf } from './ignore';
export { sniffImage, imageTypeBySignature, SNIFF_HEAD_BYTES, type SniffedImage } from './sniff';
export { MAX_IMAGE_SIDE, MAX_IMAGE_PIXELS, MAX_PATH_BYTES, oversizeReason } from './limits';
export { normalizeEntryPath, PathError, type PathProblem } from './paths';
export {
  inferPlacement,
  splitOfFolder,
  DEFAULT_ROOT,
  type Placement,
  type PlacementResult,
} from './placement';
export { ZipError, type ZipProblem } from './zip-error';
export {
  readZip,
  DEFAULT_MAX_ZIP_TOTAL_BYTES,
  DEFAULT_MAX_ZIP_RATIO,
  type ReadZipOptions,
  type ZipContents,
  type ZipProgress,
} from './zip';
export type { IngestInput } from './screen-file';
export { planIngest, type AcceptedFile, type IngestPlan } from './plan';
export { validationReport } from './validation-report';
export { MAX_CLASS_RATIO, MIN_CLASS_IMAGES } from './validate-classes';
export { MAX_SIZE_SPREAD } from './validate-sizes';
export type { Finding, FindingKind, ValidationEntry } from './finding';
