import { monitoringRefPrefix } from '../monitoring/ref-names';
import { readRegistry } from '../registry/read-registry';
import type { GcResult, Store } from '../store';
import { forgetDeletedDatasets } from './dataset-derived';
import { VersionError } from './errors';
import { HEAD_REF } from './ref-names';
import { readRefState } from './ref-state';
import { updateRefs } from './update-refs';

/**
 * Takes a version (or stash) off the timeline, with its monitoring records,
 * then collects garbage: what only it held (files, model weights, the images
 * of its batches) is freed, what another version, the workspace or the last
 * run holds stays. A tag or a stage protects a version (remove the tag, or
 * put another version in the stage, first); the checked-out one goes only
 * with force, and HEAD then moves to its parent if that is still on the
 * timeline, or is removed. Refs change in one transaction; returns what gc freed.
 */
export async function deleteVersion(
  store: Store,
  versionId: string,
  options: { force?: boolean; signal?: AbortSignal } = {},
): Promise<GcResult> {
  const refs = await readRefState(store);
  const entry = refs.timeline.get(versionId);
  if (entry === undefined) throw new VersionError('no-such-version', 'That version is not on the timeline (it may have been deleted already).');
  const tags = refs.tagsByVersion.get(versionId) ?? [];
  if (tags.length > 0) {
    const names = tags.map((tag) => `“${tag}”`).join(', ');
    throw new VersionError('tagged', `This version is tagged ${names}: remove the tag first.`);
  }
  const stages = (await readRegistry(store)).stagesByVersion.get(versionId) ?? [];
  if (stages.length > 0) {
    throw new VersionError(
      'holds-stage',
      `This version is in ${stages.join(' and ')}: put another version there, or take it out of ${stages.length === 1 ? 'the stage' : 'those stages'} in Registry, first.`,
    );
  }
  const isHead = refs.head === versionId;
  if (isHead && !options.force) {
    throw new VersionError('checked-out', 'This version is checked out: check out another one first, or confirm to delete it anyway.');
  }

  const set = new Map<string, string>();
  const records = await store.listRefs(monitoringRefPrefix(versionId));
  const remove = [...entry.refNames, ...records.map((ref) => ref.name)];
  if (isHead) {
    const { parent } = await store.getObject(versionId, 'version');
    if (parent !== null && refs.timeline.has(parent)) set.set(HEAD_REF, parent);
    else remove.push(HEAD_REF);
  }
  const expect = new Map<string, string | null>([[HEAD_REF, refs.head], ...entry.refNames.map((name) => [name, versionId] as const)]);
  await updateRefs(store, { set, remove, expect }, { signal: options.signal });
  const freed = await store.gc({ signal: options.signal });
  await forgetDeletedDatasets(store);
  return freed;
}
