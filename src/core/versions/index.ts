// The versions core: commit, tag, timeline, checkout, compare, run-cache, storage, delete.
export { VersionError, UncommittedChangesError, type VersionErrorCode } from './errors';
export {
  HEAD_REF,
  RUN_REF,
  WORKSPACE_REF,
  VERSION_REF_PREFIX,
  STASH_REF_PREFIX,
  TAG_REF_PREFIX,
  EXPERIMENT_REF_PREFIX,
  versionRefName,
  experimentRefName,
  stashRefName,
  tagRefName,
} from './ref-names';
export { readRefState, type RefState, type TimelineRefs } from './ref-state';
export { tagNameProblem, assertTagName, MAX_TAG_LENGTH } from './tag-name';
export { summarizeFileChanges, describeFileChanges, type FileChanges, type ClassChanges } from './file-changes';
export { modelState, runOnWorkspace, type ModelState } from './model-state';
export { workspaceStatus, type WorkspaceStatus } from './status';
export { commitVersion, type CommitVersionInput, type CommittedVersion } from './commit-version';
export { tagVersion, untag, tagsByVersion } from './tags';
export { countFilesPerSplit, datasetFilesPerSplit, type FilesPerSplit } from './files-per-split';
export { derivePerDataset, forgetDeletedDatasets, type DatasetDerivation } from './dataset-derived';
export { blobSizesOf, datasetBlobSizes, type DatasetBlobs } from './dataset-blobs';
export { listTimeline, type TimelineItem } from './timeline';
export { workAtRisk, type WorkAtRisk } from './work-at-risk';
export { stashWork, planStash, type Stash, type StashPlan } from './stash';
export { checkout, type CheckoutOptions, type CheckoutResult } from './checkout';
export { diffParams, flattenParams, type ParamChange } from './diff-params';
export { diffMetrics, type MetricChange } from './diff-metrics';
export { confusionOf, type Confusion } from './confusion';
export { diffVersions, diffFileList, type VersionDiff } from './diff';
export { FILE_CHANGE_KINDS, listFileChanges, pageOfFileChanges, type FileChange, type FileChangeKind, type FileChangePage } from './file-change-list';
export { runCacheKey, findCachedRun, type RunInputs, type CachedRun } from './run-cache';
export { versionStorage, type VersionStorage, type StorageReport } from './storage';
export { deleteVersion } from './delete-version';
export { updateRefs, type RefUpdate } from './update-refs';
export { versionsHolding, type BlobUse } from './versions-holding';
export { describeCleanUp, describeUnreachable } from './clean-up-text';
