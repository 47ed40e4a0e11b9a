import type { ObjectKind, PawprintObject } from '../objects/types';
import { CorruptObjectError, MissingObjectError, objectOf, type ObjectRecord, type Store } from '../store';

type ObjectOfKind<K extends ObjectKind> = Extract<PawprintObject, { kind: K }>;

/**
 * Reads objects of one kind in a single transaction (the timeline reads
 * hundreds at once), shape-checked like store.getObject. A missing one raises
 * MissingObjectError naming all that are missing; a damaged one or one of
 * another kind, CorruptObjectError. Ids may repeat (each is read once) or be
 * null (skipped), so callers can pass optional links such as a HEAD or a model.
 */
export async function readObjectsOfKind<K extends ObjectKind>(
  store: Store,
  ids: Iterable<string | null>,
  kind: K,
): Promise<Map<string, ObjectOfKind<K>>> {
  const unique = [...new Set(ids)].filter((id): id is string => id !== null);
  const objects = store.db.transaction('objects').store;
  const records = await Promise.all(unique.map((id) => objects.get(id)));
  const missing = unique.filter((_, i) => records[i] === undefined);
  if (missing.length > 0) throw new MissingObjectError(missing);
  return new Map(unique.map((id, i) => [id, ofKind(records[i]!, kind)]));
}

export async function readObjectOfKind<K extends ObjectKind>(store: Store, id: string, kind: K): Promise<ObjectOfKind<K>> {
  return (await readObjectsOfKind(store, [id], kind)).get(id)!;
}

function ofKind<K extends ObjectKind>(record: ObjectRecord, kind: K): ObjectOfKind<K> {
  const obj = objectOf(record);
  if (obj.kind !== kind) throw new CorruptObjectError(record.id, `it is a ${obj.kind} where a ${kind} was expected`);
  return obj as ObjectOfKind<K>;
}
