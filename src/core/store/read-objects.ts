import type { ObjectKind, PawprintObject } from '../objects/types';
import { validateObject } from '../objects/validate-object';
import { CorruptObjectError, InvalidObjectError, MissingObjectError } from './errors';
import type { ObjectRecord, PawprintDB } from './schema';

/**
 * Reads an object, checking its shape on the way out (cheap, unlike
 * rehashing, which verify does): a damaged one raises CorruptObjectError, one
 * from a newer Pawprint SchemaError.
 */
export async function getObject(db: PawprintDB, id: string): Promise<PawprintObject> {
  const record = await db.get('objects', id);
  if (record === undefined) throw new MissingObjectError([id]);
  return objectOf(record);
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

/** All stored objects, or those of one kind. */
export function listObjects(db: PawprintDB, kind?: ObjectKind): Promise<ObjectRecord[]> {
  return kind === undefined ? db.getAll('objects') : db.getAllFromIndex('objects', 'kind', kind);
}
