import { compareCodePoints } from '../hash/compare-code-points';
import type { Assignment } from '../objects/types';
import type { Store } from '../store';
import { PRODUCTION, REGISTRY_REF_PREFIX } from './names';

/** One assignment as the registry lists it: its object id and its GTO tag (the ref's name). */
export interface RegistryEntry {
  id: string;
  tag: string;
  assignment: Assignment;
}

export interface Registry {
  /** Every assignment, newest first. */
  history: RegistryEntry[];
  /** Stage → the assignment that put its current version there; a stage emptied by an unassign is absent. Production first, then by name. */
  stages: Map<string, RegistryEntry>;
  /** Version id → the stages it holds now. */
  stagesByVersion: Map<string, string[]>;
  /** The artifact's highest assignment number so far (GTO's counter; 0 before the first). */
  lastNumber: number;
}

/**
 * The model registry as `gto show` would print it, from the `registry/` refs: a stage holds the
 * version of its latest assignment (by time, then number), until an unassign of that version.
 */
export async function readRegistry(store: Store): Promise<Registry> {
  const refs = await store.listRefs(REGISTRY_REF_PREFIX);
  const objects = await store.getObjects(refs.map((ref) => ref.target), 'assignment');
  const entries = refs.map(({ name, target }) => ({ id: target, tag: name.slice(REGISTRY_REF_PREFIX.length), assignment: objects.get(target)! }));
  entries.sort(oldestFirst);

  const current = new Map<string, RegistryEntry>();
  for (const entry of entries) {
    const { stage, action, version } = entry.assignment;
    if (action === 'assign') current.set(stage, entry);
    else if (current.get(stage)?.assignment.version === version) current.delete(stage);
  }
  const stages = new Map([...current].sort(([a], [b]) => stageRank(a) - stageRank(b) || compareCodePoints(a, b)));
  const stagesByVersion = new Map<string, string[]>();
  for (const [stage, { assignment }] of stages) stagesByVersion.set(assignment.version, [...(stagesByVersion.get(assignment.version) ?? []), stage]);
  return {
    history: entries.reverse(),
    stages,
    stagesByVersion,
    lastNumber: Math.max(0, ...entries.map((entry) => entry.assignment.number)),
  };
}

function oldestFirst(a: RegistryEntry, b: RegistryEntry): number {
  return Date.parse(a.assignment.createdAt) - Date.parse(b.assignment.createdAt) || a.assignment.number - b.assignment.number || compareCodePoints(a.id, b.id);
}

const stageRank = (stage: string) => (stage === PRODUCTION ? 0 : stage === 'staging' ? 1 : 2);
