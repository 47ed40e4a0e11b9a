import type { Version } from '../objects/types';

/**
 * Where the workspace's model stands against HEAD:
 * - none: no model has been trained (or checked out) for the workspace;
 * - committed: the last run's model is HEAD's;
 * - trained-not-committed: the last run trained on the workspace data, and HEAD does not hold its model;
 * - stale: the last run trained on a different data set than the one in the workspace.
 */
export type ModelState = 'none' | 'committed' | 'trained-not-committed' | 'stale';

export function modelState(run: Version | null, head: Version | null, workspaceId: string | null): ModelState {
  if (run === null || run.model === null) return 'none';
  if (run.dataset !== workspaceId) return 'stale';
  return head?.model === run.model ? 'committed' : 'trained-not-committed';
}

/** The last run, when it trained on the workspace's data set: what a commit includes by default. */
export function runOnWorkspace(run: Version | null, workspaceId: string | null): (Version & { model: string }) | null {
  return run !== null && run.model !== null && run.dataset === workspaceId ? (run as Version & { model: string }) : null;
}
