import type { Store } from '../store';
import { readRefState } from '../versions/ref-state';
import { RegistryError } from './errors';
import { ARTIFACT } from './names';
import { readRegistry, type RegistryEntry } from './read-registry';
import { versionLabel } from './version-label';
import { writeAssignment } from './write-assignment';

/** `gto deprecate model <version> <stage>`: takes the stage's current version out of it (the stage is then empty). */
export async function unassignStage(store: Store, input: { stage: string; message?: string; now?: Date }): Promise<RegistryEntry> {
  const registry = await readRegistry(store);
  const current = registry.stages.get(input.stage);
  if (current === undefined) throw new RegistryError('not-assigned', `No version is in ${input.stage}.`);
  const refs = await readRefState(store);
  const versionId = current.assignment.version;
  const label = refs.timeline.has(versionId) ? versionLabel(refs, versionId, await store.getObject(versionId, 'version')) : versionId.slice(0, 8);
  return writeAssignment(store, {
    kind: 'assignment',
    schema: 1,
    artifact: ARTIFACT,
    stage: input.stage,
    number: registry.lastNumber + 1,
    action: 'unassign',
    version: versionId,
    message: input.message?.trim() || `${label} out of ${input.stage}`,
    createdAt: (input.now ?? new Date()).toISOString(),
    acceptance: null,
    override: null,
  });
}
