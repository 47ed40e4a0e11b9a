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

export const versionRefName = (versionId: string): string => VERSION_REF_PREFIX + versionId;
export const stashRefName = (versionId: string): string => STASH_REF_PREFIX + versionId;
export const tagRefName = (tag: string): string => TAG_REF_PREFIX + tag;
