import { buildDataset } from '../objects/buildDataset';
import { objectId } from '../objects/objectId';
import type { Dataset, DatasetEntry } from '../objects/types';
import type { Store } from '../store';
import { DEFAULT_ROOT } from './placement';

/**
 * The ref naming the data set being worked on (git's index, DVC's workspace).
 * Every change writes a new immutable dataset object and moves this ref in one
 * transaction, so a reload finds the workspace as it was and a failed change
 * leaves the previous one in place.
 */
export const WORKSPACE_REF = 'workspace';

export interface Workspace {
  id: string | null;
  dataset: Dataset | null;
}

/** The workspace right after a change: it always has a data set. */
export interface WrittenWorkspace {
  id: string;
  dataset: Dataset;
}

export async function readWorkspace(store: Store): Promise<Workspace> {
  const id = (await store.getRef(WORKSPACE_REF)) ?? null;
  if (!id) return { id: null, dataset: null };
  const dataset = await store.getObject(id);
  if (dataset.kind !== 'dataset') throw new Error(`The workspace ref points at a ${dataset.kind}, not a data set.`);
  return { id, dataset };
}

/** Replaces the workspace's entries; the tracked folder keeps its name once it has one. */
export async function writeWorkspace(store: Store, entries: readonly DatasetEntry[], root?: string): Promise<WrittenWorkspace> {
  return replaceWorkspace(store, await readWorkspace(store), entries, root);
}

async function replaceWorkspace(store: Store, current: Workspace, entries: readonly DatasetEntry[], root?: string): Promise<WrittenWorkspace> {
  const dataset = await buildDataset(current.dataset?.root ?? root ?? DEFAULT_ROOT, [...entries]);
  const id = await objectId(dataset);
  await store.commit({ objects: [dataset], refs: { [WORKSPACE_REF]: id } });
  return { id, dataset };
}

/** Applies a pure edit (merge, remove, rename) to the workspace entries. */
export async function editWorkspace(
  store: Store,
  edit: (entries: readonly DatasetEntry[]) => DatasetEntry[],
  root?: string,
): Promise<WrittenWorkspace> {
  // One read: the data set edited is the one replaced (callers hold the store lock).
  const current = await readWorkspace(store);
  return replaceWorkspace(store, current, edit(current.dataset?.entries ?? []), root);
}
