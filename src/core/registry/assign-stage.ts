import type { Version } from '../objects/types';
import type { Store } from '../store';
import { readRefState, type RefState } from '../versions/ref-state';
import { checkAcceptance } from './acceptance-check';
import { RegistryError } from './errors';
import { ARTIFACT, PRODUCTION, stageNameProblem } from './names';
import { readRegistry, type RegistryEntry } from './read-registry';
import { versionLabel } from './version-label';
import { writeAssignment } from './write-assignment';

export interface AssignStageInput {
  versionId: string;
  stage: string;
  message?: string;
  /** Why a model that fails its acceptance rule goes to production anyway. */
  override?: string;
  now?: Date;
}

/**
 * `gto assign model --version … --stage …`: puts a committed version's model in a stage, as an
 * immutable assignment kept by the ref `registry/model#<stage>#<n>`. Promotion to production
 * is checked against the version's acceptance rule: a model that fails it goes only with a
 * written reason, which the assignment records. Refusals (RegistryError) write nothing.
 */
export async function assignStage(store: Store, input: AssignStageInput): Promise<RegistryEntry> {
  const stage = input.stage.trim();
  const problem = stageNameProblem(stage);
  if (problem) throw new RegistryError('invalid-stage', problem);
  const refs = await readRefState(store);
  const version = await committedVersion(store, refs, input.versionId);
  const label = versionLabel(refs, input.versionId, version);
  if (version.model === null) throw new RegistryError('no-model', `${label} holds data only: there is no model to put in ${stage}.`);
  const registry = await readRegistry(store);
  if (registry.stages.get(stage)?.assignment.version === input.versionId) {
    throw new RegistryError('already-assigned', `${label} is already in ${stage}.`);
  }

  const check = checkAcceptance(version);
  const reason = input.override?.trim() ?? '';
  const gated = stage === PRODUCTION && !check.pass;
  if (gated && reason === '') {
    throw new RegistryError(
      'rejected',
      `${label} was not promoted to production: it fails its acceptance rule${check.recorded ? '' : ' (the default rule: this version records none)'}. ${check.message} To promote it anyway, write the reason in “Override reason”.`,
    );
  }
  const { message: _message, recorded: _recorded, ...acceptance } = check;
  return writeAssignment(store, {
    kind: 'assignment',
    schema: 1,
    artifact: ARTIFACT,
    stage,
    number: registry.lastNumber + 1,
    action: 'assign',
    version: input.versionId,
    message: input.message?.trim() || `${label} to ${stage}`,
    createdAt: (input.now ?? new Date()).toISOString(),
    acceptance,
    override: gated ? reason : null,
  });
}

async function committedVersion(store: Store, refs: RefState, versionId: string): Promise<Version> {
  const entry = refs.timeline.get(versionId);
  if (entry === undefined || entry.stash) {
    throw new RegistryError('no-such-version', 'Only a committed version on the timeline can be put in a stage (it may have been deleted).');
  }
  return store.getObject(versionId, 'version');
}
