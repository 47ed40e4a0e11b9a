import { objectId } from '../objects/object-id';
import type { Assignment } from '../objects/types';
import type { Store } from '../store';
import { assignmentRefName, assignmentTag } from './names';
import type { RegistryEntry } from './read-registry';

/** Stores an assignment and the ref named by its GTO tag, in one transaction. Callers hold the store lock. */
export async function writeAssignment(store: Store, assignment: Assignment): Promise<RegistryEntry> {
  const id = await objectId(assignment);
  const tag = assignmentTag(assignment);
  await store.commit({ objects: [assignment], refs: new Map([[assignmentRefName(tag), id]]) });
  return { id, tag, assignment };
}
