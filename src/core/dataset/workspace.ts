import { buildDataset } from '../objects/build-dataset';
import { objectId } from '../objects/object-id';
import type { Dataset, DatasetEntry, PawprintObject } from '../objects/types';
import type { Store } from '../store';
import { DatasetEditError } from './edit';
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

/** The workspace right after a change (or a change ready to commit): it always has a data set. */
export interface WrittenWorkspace {
  id: string;
  dataset: Dataset;
}

// The data set last read or written as the workspace, per store name (a store
// and its locked view share it). Objects are immutable and the ref names the
// one that counts, so a ref still pointing at it means it is current: a
// 3 000-entry data set is not read again after every change.
const lastWorkspace = new Map<string, WrittenWorkspace>();

export async function readWorkspace(store: Store): Promise<Workspace> {
  const id = (await store.getRef(WORKSPACE_REF)) ?? null;
  if (!id) return { id: null, dataset: null };
  const known = lastWorkspace.get(store.name);
  if (known?.id === id) return known;
  const dataset = await store.getObject(id, 'dataset');
  lastWorkspace.set(store.name, { id, dataset });
  return { id, dataset };
}

/**
 * Builds and names the data set a pure edit (merge, remove, rename) of the
 * workspace entries gives, without writing anything. The tracked folder keeps
 * its name once it has one. Callers hold the store lock until they commit it,
 * so the workspace edited is the one replaced.
 */
export async function prepareEdit(
  store: Store,
  edit: (entries: readonly DatasetEntry[]) => DatasetEntry[],
  root?: string,
): Promise<WrittenWorkspace> {
  const current = await readWorkspace(store);
  const dataset = await buildDataset(current.dataset?.root ?? root ?? DEFAULT_ROOT, edit(current.dataset?.entries ?? []));
  return { id: await objectId(dataset), dataset };
}

/** Writes a prepared data set and points the workspace at it, in one transaction (with `alongside`'s objects and refs, when given). */
export async function commitWorkspace(
  store: Store,
  next: WrittenWorkspace,
  alongside: { objects: PawprintObject[]; refs: ReadonlyMap<string, string> } = { objects: [], refs: new Map() },
): Promise<WrittenWorkspace> {
  await store.commit({ objects: [next.dataset, ...alongside.objects], refs: new Map([...alongside.refs, [WORKSPACE_REF, next.id]]) });
  lastWorkspace.set(store.name, next);
  return next;
}

/** Applies a pure edit to the workspace entries and commits the result. */
export async function editWorkspace(
  store: Store,
  edit: (entries: readonly DatasetEntry[]) => DatasetEntry[],
  root?: string,
): Promise<WrittenWorkspace> {
  return commitWorkspace(store, await prepareEdit(store, edit, root));
}

/**
 * Undo of a workspace edit: points the workspace back at data set `to`, only
 * while it still names `from` (the edit being undone). The earlier data set
 * must still be stored; once gc has taken it, the edit can no longer be undone.
 */
export async function restoreWorkspace(store: Store, from: string, to: string): Promise<WrittenWorkspace> {
  const current = await readWorkspace(store);
  if (current.id !== from) throw new DatasetEditError('The data set changed since that edit (another tab, a checkout or an import); it can no longer be undone.');
  if (!(await store.hasObject(to))) throw new DatasetEditError('The data set before that edit is no longer stored; it can no longer be undone.');
  const dataset = await store.getObject(to);
  if (dataset.kind !== 'dataset') throw new DatasetEditError('That edit can no longer be undone.');
  return commitWorkspace(store, { id: to, dataset });
}

/** Replaces the workspace's entries. */
export async function writeWorkspace(store: Store, entries: readonly DatasetEntry[], root?: string): Promise<WrittenWorkspace> {
  return editWorkspace(store, () => [...entries], root);
}
