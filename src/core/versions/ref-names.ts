/**
 * The refs the versions core reads and moves. Every version on the timeline
 * is kept alive by its own ref (gc marks from refs only, and a parent link is
 * weak), so the timeline is exactly the versions these refs name.
 */
export { WORKSPACE_REF } from '../dataset/workspace';
export { RUN_REF } from '../runs/run-ref';

/** The version checked out; absent before the first commit. */
export const HEAD_REF = 'HEAD';
export const VERSION_REF_PREFIX = 'versions/';
export const STASH_REF_PREFIX = 'stash/';
export const TAG_REF_PREFIX = 'tags/';
/** Keeps a backbone (a pretrained model for features) in the store, and offered in the page, before any version uses it. */
export const BACKBONE_REF_PREFIX = 'backbones/';

/** Keeps an experiment's data set (queued) or its result version (done): `experiments/<experiment id>`. */
export const EXPERIMENT_REF_PREFIX = 'experiments/';

export const versionRefName = (versionId: string): string => VERSION_REF_PREFIX + versionId;
export const experimentRefName = (experimentId: string): string => EXPERIMENT_REF_PREFIX + experimentId;
export const stashRefName = (versionId: string): string => STASH_REF_PREFIX + versionId;
export const tagRefName = (tag: string): string => TAG_REF_PREFIX + tag;
export const backboneRefName = (modelId: string): string => BACKBONE_REF_PREFIX + modelId;
