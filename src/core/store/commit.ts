import { encodeObject, type EncodedObject } from '../objects/object-id';
import { referencesOf } from '../objects/references-of';
import type { PawprintObject } from '../objects/types';
import { validateObject } from '../objects/validate-object';
import { MissingObjectError, RefsMovedError } from './errors';
import { hasExperimentWrites, writeExperiments, type ExperimentUpdate } from './experiments';
import { presentBlobs, RECORD_STORES } from './blob-records';
import { assertRefName } from './ref-name';
import type { PawprintDB, StoreName } from './schema';
import { writeTransaction } from './transaction';

export interface CommitInput {
  objects?: readonly PawprintObject[];
  /** Ref name → object id (stored already or in `objects`). */
  refs?: ReadonlyMap<string, string>;
  /** Refs to delete. */
  removeRefs?: Iterable<string>;
  /**
   * Ref name → the target it must still have (null: must still be absent).
   * The caller decided from what it read; if another writer moved one since,
   * nothing is written and RefsMovedError names it (compare-and-set).
   */
  expectRefs?: ReadonlyMap<string, string | null>;
  /**
   * Pulled history may name a parent that was deleted before the push. A parent
   * is history only, so such a version may be stored without it (verify lists it).
   */
  allowMissingParents?: boolean;
  /** Experiment records written and deleted with the objects and refs (a run's result and its record, together). */
  experiments?: ExperimentUpdate;
}

/**
 * Writes objects, moves and removes refs in one transaction, after checking
 * that the expected refs are unchanged and that everything the objects and
 * refs point at exists (blobs stored, objects stored or in this batch). If a
 * ref moved, nothing is written (RefsMovedError); if anything is missing,
 * nothing is written and MissingObjectError lists what. Objects are
 * immutable: an id already stored is left as it is. Experiment records given
 * are written (or deleted) in the same transaction. Returns the ids in input
 * order. The only way objects and refs are written in bulk.
 */
export async function commit(db: PawprintDB, input: CommitInput, options: { signal?: AbortSignal } = {}): Promise<string[]> {
  const objectsIn = input.objects ?? [];
  const refs = [...(input.refs ?? [])];
  const removed = [...(input.removeRefs ?? [])];
  const expected = [...(input.expectRefs ?? [])];
  [...refs.map(([name]) => name), ...removed].forEach(assertRefName);
  const encoded: EncodedObject[] = [];
  for (const obj of objectsIn) {
    options.signal?.throwIfAborted();
    validateObject(obj);
    encoded.push(await encodeObject(obj));
  }
  options.signal?.throwIfAborted();

  const ids = encoded.map(({ id }) => id);
  const inBatch = new Set(ids);
  const references = objectsIn.map(referencesOf);
  const neededBlobs = [...new Set(references.flatMap((r) => r.blobs))];
  // A parent is a weak reference (gc does not keep it alive), but a version
  // made here must still name one that exists when it is written.
  const needsParents = !input.allowMissingParents;
  const neededObjects = [
    ...new Set([...references.flatMap((r) => [...r.objects, ...(needsParents ? r.weakObjects : [])]), ...refs.map(([, target]) => target)]),
  ].filter((id) => !inBatch.has(id));
  const bytes = encoded.reduce((total, { size }) => total + size, 0);
  // Blob stores only when blobs must be checked: a readwrite scope over them would wait for (and hold up) blob writes.
  const stores: StoreName[] = neededBlobs.length > 0 ? ['objects', 'refs', ...RECORD_STORES] : ['objects', 'refs'];
  const experiments = hasExperimentWrites(input.experiments) ? input.experiments : null;
  if (experiments) stores.push('experiments');

  await writeTransaction(
    db,
    stores,
    async (tx) => {
      const objects = tx.objectStore('objects');
      const refStore = tx.objectStore('refs');
      const [current, storedBlobs, objectKeys, existingKeys] = await Promise.all([
        Promise.all(expected.map(([name]) => refStore.get(name))),
        neededBlobs.length > 0 ? presentBlobs(tx, neededBlobs) : new Set<string>(),
        Promise.all(neededObjects.map((id) => objects.getKey(id))),
        Promise.all(ids.map((id) => objects.getKey(id))),
      ]);
      const moved = expected.filter(([, target], i) => (current[i]?.target ?? null) !== target).map(([name]) => name);
      if (moved.length > 0) throw new RefsMovedError(moved);
      const missing = [
        ...neededBlobs.filter((sha) => !storedBlobs.has(sha)),
        ...neededObjects.filter((_, i) => objectKeys[i] === undefined),
      ];
      if (missing.length > 0) throw new MissingObjectError(missing);

      const updatedAt = Date.now();
      const written = new Set<string>();
      // Each request in an async function: one that throws (quota) rejects with
      // the others still awaited, rather than leaving them unobserved.
      await Promise.all([
        ...objectsIn.map(async (body, i) => {
          const id = ids[i]!;
          if (existingKeys[i] !== undefined || written.has(id)) return;
          written.add(id);
          await objects.put({ id, kind: body.kind, json: encoded[i]!.json });
        }),
        ...refs.map(async ([name, target]) => refStore.put({ name, target, updatedAt })),
        ...removed.map(async (name) => refStore.delete(name)),
        ...(experiments ? [writeExperiments(tx.objectStore('experiments'), experiments)] : []),
      ]);
    },
    bytes,
  );
  return ids;
}
