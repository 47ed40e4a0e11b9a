import { encodeObject } from '../objects/object-id';
import { referencesOf } from '../objects/references-of';
import type { Version } from '../objects/types';
import { validateObject } from '../objects/validate-object';
import { MissingObjectError, type Store } from '../store';
import { assertRefName } from '../store/ref-name';
import { writeTransaction } from '../store/transaction';
import { VersionError } from './errors';

export interface RefUpdate {
  /** New versions to write; what they point at (data set, model, parent) must be stored. */
  versions?: Version[];
  /** Ref name → target (stored, or one of `versions`). */
  set?: Record<string, string>;
  remove?: string[];
  /**
   * Ref name → the target it must still have (null: must still be absent).
   * The caller decided from what it read; if another tab moved a ref since,
   * nothing is written and the user is told to try again.
   */
  expect?: Record<string, string | null>;
}

/**
 * Writes new versions and moves or removes refs in one transaction: all of it
 * happens or none. store.commit writes objects and sets refs, but versions
 * also need to remove refs (a checkout clears the last run) and to check that
 * nothing moved since they read the refs (two tabs must not overwrite each
 * other's commit). Returns the ids of `versions` in order.
 */
export async function updateRefs(store: Store, update: RefUpdate, options: { signal?: AbortSignal } = {}): Promise<string[]> {
  const versions = update.versions ?? [];
  const set = Object.entries(update.set ?? {});
  const remove = update.remove ?? [];
  const expected = Object.entries(update.expect ?? {});
  [...set.map(([name]) => name), ...remove].forEach(assertRefName);
  const encoded = await Promise.all(versions.map((version) => encodeObject(validateObject(version))));
  options.signal?.throwIfAborted();

  const ids = encoded.map(({ id }) => id);
  const inBatch = new Set(ids);
  const needed = [
    ...new Set([
      ...versions.flatMap((version) => {
        const { objects, weakObjects } = referencesOf(version);
        return [...objects, ...weakObjects];
      }),
      ...set.map(([, target]) => target),
    ]),
  ].filter((id) => !inBatch.has(id));
  const bytes = encoded.reduce((total, { size }) => total + size, 0);

  await writeTransaction(
    store.db,
    ['objects', 'refs'],
    async (tx) => {
      const objects = tx.objectStore('objects');
      const refs = tx.objectStore('refs');
      const [current, found] = await Promise.all([
        Promise.all(expected.map(([name]) => refs.get(name))),
        Promise.all(needed.map((id) => objects.getKey(id))),
      ]);
      if (expected.some(([, target], i) => (current[i]?.target ?? null) !== target)) {
        throw new VersionError('changed-elsewhere', 'The versions were changed in another tab. Nothing was changed here; try again.');
      }
      const missing = needed.filter((_, i) => found[i] === undefined);
      if (missing.length > 0) throw new MissingObjectError(missing);

      const updatedAt = Date.now();
      // Each request in an async function: one that throws (quota) rejects with
      // the others still awaited, rather than leaving them unobserved.
      await Promise.all([
        ...versions.map(async (body, i) => objects.put({ id: ids[i]!, kind: body.kind, json: encoded[i]!.json })),
        ...set.map(async ([name, target]) => refs.put({ name, target, updatedAt })),
        ...remove.map(async (name) => refs.delete(name)),
      ]);
    },
    bytes,
  );
  return ids;
}
