import type { ObjectKind, ObjectOfKind, PawprintObject } from '../objects/types';
import { validateObject } from '../objects/validate-object';
import { CorruptObjectError, InvalidObjectError, MissingObjectError } from './errors';
import type { ObjectRecord, PawprintDB } from './schema';

/**
 * Those of `ids` that are stored, read in one transaction (the timeline reads
 * hundreds at once) and shape-checked on the way out (cheap, unlike
 * rehashing, which verify does): a damaged one, or one of another kind than
 * `kind`, raises CorruptObjectError, one from a newer Pawprint SchemaError.
 * Ids may repeat (each is read once) or be null (skipped), so callers can
 * pass optional links such as a HEAD or a model.
 */
export async function findObjects<K extends ObjectKind>(db: PawprintDB, ids: Iterable<string | null>, kind: K): Promise<Map<string, ObjectOfKind<K>>> {
  const unique = [...new Set(ids)].filter((id): id is string => id !== null);
  const objects = db.transaction('objects').store;
  const records = await Promise.all(unique.map((id) => objects.get(id)));
  const found = new Map<string, ObjectOfKind<K>>();
  for (const record of records) if (record !== undefined) found.set(record.id, ofKind(record, kind));
  return found;
}

/** Like findObjects, but every id must be stored: MissingObjectError names all that are not. */
export async function getObjects<K extends ObjectKind>(db: PawprintDB, ids: Iterable<string | null>, kind: K): Promise<Map<string, ObjectOfKind<K>>> {
  const wanted = [...ids];
  const found = await findObjects(db, wanted, kind);
  const missing = [...new Set(wanted)].filter((id): id is string => id !== null && !found.has(id));
  if (missing.length > 0) throw new MissingObjectError(missing);
  return found;
}

/** One object, shape-checked (and of `kind`, when given); MissingObjectError when it is not stored. */
export async function getObject(db: PawprintDB, id: string, kind?: ObjectKind): Promise<PawprintObject> {
  const record = await db.get('objects', id);
  if (record === undefined) throw new MissingObjectError([id]);
  return kind === undefined ? objectOf(record) : ofKind(record, kind);
}

/** A stored record's object, shape-checked: a damaged one raises CorruptObjectError, one from a newer Pawprint SchemaError. */
export function objectOf(record: ObjectRecord): PawprintObject {
  try {
    return validateObject(bodyOf(record));
  } catch (error) {
    if (error instanceof InvalidObjectError) throw new CorruptObjectError(record.id, error.message);
    throw error;
  }
}

function ofKind<K extends ObjectKind>(record: ObjectRecord, kind: K): ObjectOfKind<K> {
  const obj = objectOf(record);
  if (obj.kind !== kind) throw new CorruptObjectError(record.id, `it is a ${obj.kind} where a ${kind} was expected`);
  return obj as ObjectOfKind<K>;
}

/** The stored object's value, not yet checked (validateObject does that); text that is not JSON is an InvalidObjectError. */
export function bodyOf(record: ObjectRecord): unknown {
  try {
    return JSON.parse(record.json) as unknown;
  } catch {
    throw new InvalidObjectError('Invalid Pawprint object: its stored text is not JSON.');
  }
}

export async function hasObject(db: PawprintDB, id: string): Promise<boolean> {
  return (await db.getKey('objects', id)) !== undefined;
}

/** The given ids that are not stored, without duplicates, in input order (one transaction). */
export async function missingObjects(db: PawprintDB, ids: Iterable<string>): Promise<string[]> {
  const unique = [...new Set(ids)];
  const objects = db.transaction('objects').store;
  const keys = await Promise.all(unique.map((id) => objects.getKey(id)));
  return unique.filter((_, i) => keys[i] === undefined);
}

/** All stored objects, or those of one kind. */
export function listObjects(db: PawprintDB, kind?: ObjectKind): Promise<ObjectRecord[]> {
  return kind === undefined ? db.getAll('objects') : db.getAllFromIndex('objects', 'kind', kind);
}
