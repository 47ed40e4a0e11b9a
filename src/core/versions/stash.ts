import { workspaceFeedback } from '../feedback/pending-feedback';
import { objectId } from '../objects/object-id';
import type { Version } from '../objects/types';
import type { Store } from '../store';
import type { CommittedVersion } from './commit-version';
import { VersionError } from './errors';
import { requireMessage } from './message';
import { runOnWorkspace } from './model-state';
import { HEAD_REF, RUN_REF, stashRefName, WORKSPACE_REF } from './ref-names';
import { readRefState, workRefsAsRead, type RefState } from './ref-state';
import { updateRefs } from './update-refs';
import { workAtRisk } from './work-at-risk';
import { workspaceVersion } from './workspace-version';

/** Uncommitted work put aside (`git stash`): a version on the timeline under `stash/<id>`, parent HEAD. */
export interface Stash extends CommittedVersion {
  /**
   * The last run when it trained on other data than the workspace's and no
   * version holds its model: a version has one data set, so that model is
   * kept as a second stash with the data set it trained on.
   */
  staleRun: CommittedVersion | null;
}

export interface StashPlan {
  stash: Stash;
  versions: Version[];
  refs: Map<string, string>;
}

const STASH_HINT = 'Write a message that says what this work is, e.g. “cats relabelled, not trained yet”.';

/** The stash versions and refs for the workspace as it is (its corrections recorded), not yet written. */
export async function planStash(input: {
  store: Store;
  refs: RefState;
  run: Version | null;
  /** The run's model is kept by no version on the timeline. */
  modelAtRisk: boolean;
  message: string;
  now: Date;
}): Promise<StashPlan> {
  const { store, refs, run, now } = input;
  const message = requireMessage(input.message, STASH_HINT);
  if (refs.workspace === null) throw new VersionError('no-data', 'There is no work to stash: the workspace has no data set.');
  const main = await identified(
    workspaceVersion({
      parent: refs.head,
      dataset: refs.workspace,
      run: runOnWorkspace(run, refs.workspace),
      message,
      createdAt: now,
      feedback: await workspaceFeedback(store, refs.feedback, refs.workspace),
    }),
  );
  const staleRun =
    input.modelAtRisk && run !== null && runOnWorkspace(run, refs.workspace) === null
      ? await identified({ ...run, parent: refs.head, message: `${message} (model trained on other data)`, createdAt: now.toISOString() })
      : null;
  const kept = staleRun === null ? [main] : [main, staleRun];
  return {
    stash: { ...main, staleRun },
    versions: kept.map(({ version }) => version),
    refs: new Map(kept.map(({ id }) => [stashRefName(id), id])),
  };
}

/** Puts the workspace's data set and last run aside as a stash; the workspace itself is left as it is. */
export async function stashWork(store: Store, message: string, options: { now?: Date; signal?: AbortSignal } = {}): Promise<Stash> {
  const refs = await readRefState(store);
  const run = refs.run === null ? null : await store.getObject(refs.run, 'version');
  const risk = await workAtRisk(store, refs, run);
  const plan = await planStash({ store, refs, run, modelAtRisk: risk.model, message, now: options.now ?? new Date() });
  await updateRefs(store, { versions: plan.versions, set: plan.refs, expect: workRefsAsRead(refs) }, { signal: options.signal });
  return plan.stash;
}

async function identified(version: Version): Promise<CommittedVersion> {
  return { id: await objectId(version), version };
}
