import { encodeObject, type EncodedObject } from '../objects/object-id';
import { referencesOf } from '../objects/references-of';
import type { PawprintObject } from '../objects/types';
import { validateObject } from '../objects/validate-object';
import { MissingObjectError } from './errors';
import { presentBlobs } from './blob-records';
import { assertRefName } from './ref-name';
import type { PawprintDB } from './schema';
import { writeTransaction } from './transaction';

export interface CommitInput {
  objects: PawprintObject[];
  /** Ref name → object id (stored already or in `objects`). */
  refs?: Record<string, string>;
  /**
   * Pulled history may name a parent that was deleted before the push. A parent
   * is history only, so such a version may be stored without it (verify lists it).
   */
  allowMissingParents?: boolean;
}

/**
 * Writes objects and moves refs in one transaction, after checking that
 * everything they point at exists (blobs stored, objects stored or in this
 * batch, ref targets likewise). If anything is missing, nothing is written
 * and MissingObjectError lists what. Objects are immutable: an id already
 * stored is left as it is. Returns the ids in input order.
 */
export async function commit(db: PawprintDB, input: CommitInput, options: { signal?: AbortSignal } = {}): Promise<string[]> {
  const refs = Object.entries(input.refs ?? {});
  refs.forEach(([name]) => assertRefName(name));
  const encoded: EncodedObject[] = [];
  for (const obj of input.objects) {
    options.signal?.throwIfAborted();
    validateObject(obj);
    encoded.push(await encodeObject(obj));
  }
  options.signal?.throwIfAborted();

  const ids = encoded.map(({ id }) => id);
  const inBatch = new Set(ids);
  const references = input.objects.map(referencesOf);
  const neededBlobs = [...new Set(references.flatMap((r) => r.blobs))];
  // A parent is a weak reference (gc does not keep it alive), but a version
  // made here must still name one that exists when it is written.
  const needsParents = !input.allowMissingParents;
  const neededObjects = [
    ...new Set([...references.flatMap((r) => [...r.objects, ...(needsParents ? r.weakObjects : [])]), ...refs.map(([, target]) => target)]),
  ].filter((id) => !inBatch.has(id));
  const bytes = encoded.reduce((total, { size }) => total + size, 0);

  await writeTransaction(
    db,
    ['objects', 'refs', 'blobs', 'blobGroups', 'meta'],
    async (tx) => {
      const objects = tx.objectStore('objects');
      const [storedBlobs, objectKeys, existingKeys] = await Promise.all([
        presentBlobs(tx, neededBlobs),
        Promise.all(neededObjects.map((id) => objects.getKey(id))),
        Promise.all(ids.map((id) => objects.getKey(id))),
      ]);
      const missing = [
        ...neededBlobs.filter((sha) => !storedBlobs.has(sha)),
        ...neededObjects.filter((_, i) => objectKeys[i] === undefined),
      ];
      if (missing.length > 0) throw new MissingObjectError(missing);

      const updatedAt = Date.now();
      const written = new Set<string>();
      await Promise.all([
        ...input.objects.map(async (body, i) => {
          const id = ids[i]!;
          if (existingKeys[i] !== undefined || written.has(id)) return;
          written.add(id);
          await objects.put({ id, kind: body.kind, json: encoded[i]!.json });
        }),
        ...refs.map(async ([name, target]) => {
          await tx.objectStore('refs').put({ name, target, updatedAt });
        }),
      ]);
    },
    bytes,
  );
  return ids;
}
