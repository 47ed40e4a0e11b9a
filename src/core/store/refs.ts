import { MissingObjectError } from './errors';
import { assertRefName } from './ref-name';
import type { PawprintDB, RefRecord } from './schema';
import { writeTransaction } from './transaction';

/** Points `name` at a stored object. Refuses a target that is not stored. */
export async function setRef(db: PawprintDB, name: string, target: string): Promise<void> {
  assertRefName(name);
  await writeTransaction(db, ['objects', 'refs'], async (tx) => {
    if ((await tx.objectStore('objects').getKey(target)) === undefined) {
      throw new MissingObjectError([target], `Cannot point "${name}" at ${target.slice(0, 12)}…: no such version is stored.`);
    }
    await tx.objectStore('refs').put({ name, target, updatedAt: Date.now() });
  });
}

export async function getRef(db: PawprintDB, name: string): Promise<string | undefined> {
  return (await db.get('refs', name))?.target;
}

/** Removes a ref; true if it existed. The objects it pointed at stay until gc. */
export async function deleteRef(db: PawprintDB, name: string): Promise<boolean> {
  return writeTransaction(db, ['refs'], async (tx) => {
    const existed = (await tx.objectStore('refs').getKey(name)) !== undefined;
    await tx.objectStore('refs').delete(name);
    return existed;
  });
}

/** Refs whose name starts with `prefix` (e.g. 'tags/'), in name order. */
export async function listRefs(db: PawprintDB, prefix = ''): Promise<RefRecord[]> {
  return (await db.getAll('refs')).filter((ref) => ref.name.startsWith(prefix));
}
