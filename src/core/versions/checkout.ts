import { FEEDBACK_REF } from '../feedback/feedback-ref';
import type { Store } from '../store';
import { UncommittedChangesError, VersionError } from './errors';
import { HEAD_REF, RUN_REF, WORKSPACE_REF } from './ref-names';
import { readRefState, workRefsAsRead } from './ref-state';
import { planStash, type Stash, type StashPlan } from './stash';
import { workspaceStatus } from './status';
import { updateRefs } from './update-refs';
import { workAtRisk } from './work-at-risk';

export interface CheckoutOptions {
  /**
   * Restore the data set alone (`git checkout v1.0 data.dvc; dvc checkout data.dvc`):
   * HEAD and the last run stay. Otherwise data set, model, params and metrics
   * (`git checkout v1.0; dvc checkout`).
   */
  dataOnly?: boolean;
  /** Keep uncommitted work as a stash with this message before checking out. */
  stashMessage?: string;
  /** Discard uncommitted work. */
  force?: boolean;
  now?: Date;
  signal?: AbortSignal;
}

export interface CheckoutResult {
  head: string | null;
  workspace: string;
  run: string | null;
  /** The stash made from uncommitted work, when there was any and a stash message was given. */
  stash: Stash | null;
}

/**
 * Checks out a version by moving refs (never copying files): `workspace` to
 * its data set and, unless data only, `workspace-run` to the version itself
 * (when it has a model) and HEAD to it. A stash restores its work on top of
 * its parent (HEAD moves to the parent). Work that no version keeps is never
 * dropped silently: without a stash message or force, UncommittedChangesError
 * is thrown and nothing changes. One transaction.
 */
export async function checkout(store: Store, versionId: string, options: CheckoutOptions = {}): Promise<CheckoutResult> {
  const refs = await readRefState(store);
  const entry = refs.timeline.get(versionId);
  if (entry === undefined) throw new VersionError('no-such-version', 'That version is not on the timeline (it may have been deleted).');
  const versions = await store.getObjects([versionId, refs.run], 'version');
  const target = versions.get(versionId)!;
  const run = refs.run === null ? null : versions.get(refs.run)!;

  const stashBase = target.parent !== null && refs.timeline.has(target.parent) ? target.parent : null;
  const next = options.dataOnly
    ? { workspace: target.dataset, head: refs.head, run: refs.run }
    : { workspace: target.dataset, head: entry.stash ? stashBase : versionId, run: target.model === null ? null : versionId };

  // Only what leaves the workspace can be lost, and only if no version keeps it.
  const dataLeaves = refs.workspace !== null && refs.workspace !== next.workspace;
  const modelLeaves = !options.dataOnly && run?.model != null && run.model !== target.model;
  const risk = dataLeaves || modelLeaves ? await workAtRisk(store, refs, run) : { data: false, model: false };
  const losing = { data: dataLeaves && risk.data, model: modelLeaves && risk.model };
  let plan: StashPlan | null = null;
  if (losing.data || losing.model) {
    if (options.stashMessage !== undefined) {
      plan = await planStash({ store, refs, run, modelAtRisk: losing.model, message: options.stashMessage, now: options.now ?? new Date() });
    } else if (!options.force) {
      throw new UncommittedChangesError((await workspaceStatus(store)).text);
    }
  }

  const set = new Map([...(plan?.refs ?? []), [WORKSPACE_REF, next.workspace]]);
  // Corrections belong to the data set they were made in: they leave with it (a stash records them).
  const remove: string[] = refs.feedback !== null && refs.workspace !== next.workspace ? [FEEDBACK_REF] : [];
  for (const [name, refTarget] of [[HEAD_REF, next.head], [RUN_REF, next.run]] as const) {
    if (refTarget === null) remove.push(name);
    else set.set(name, refTarget);
  }
  await updateRefs(store, { versions: plan?.versions ?? [], set, remove, expect: workRefsAsRead(refs) }, { signal: options.signal });
  return { ...next, stash: plan?.stash ?? null };
}
