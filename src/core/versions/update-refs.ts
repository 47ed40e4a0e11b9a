import type { Version } from '../objects/types';
import { RefsMovedError, type Store } from '../store';
import { VersionError } from './errors';

export interface RefUpdate {
  /** New versions to write; what they point at (data set, model, parent) must be stored. */
  versions?: Version[];
  /** Ref name → target (stored, or one of `versions`). */
  set?: ReadonlyMap<string, string>;
  remove?: string[];
  /**
   * Ref name → the target it must still have (null: must still be absent).
   * The caller decided from what it read; if another tab moved a ref since,
   * nothing is written and the user is told to try again.
   */
  expect: ReadonlyMap<string, string | null>;
}

/**
 * A versions operation's write: new versions and ref moves in one store
 * commit, guarded by the refs the operation read (two tabs must not
 * overwrite each other's commit). Refs that moved meanwhile become the
 * versions' own refusal. Returns the ids of `versions` in order.
 */
export async function updateRefs(store: Store, update: RefUpdate, options: { signal?: AbortSignal } = {}): Promise<string[]> {
  try {
    return await store.commit(
      { objects: update.versions ?? [], refs: update.set ?? new Map(), removeRefs: update.remove ?? [], expectRefs: update.expect },
      options,
    );
  } catch (error) {
    if (error instanceof RefsMovedError) {
      throw new VersionError('changed-elsewhere', 'The versions were changed in another tab. Nothing was changed here; try again.');
    }
    throw error;
  }
}
