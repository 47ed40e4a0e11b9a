// The model registry: stage assignments of versions' models, as GTO's tags.
export { ARTIFACT, PRODUCTION, SUGGESTED_STAGES, REGISTRY_REF_PREFIX, stageNameProblem, assignmentTag, assignmentRefName } from './names';
export { RegistryError, type RegistryErrorCode } from './errors';
export { readRegistry, type Registry, type RegistryEntry } from './read-registry';
export { checkAcceptance } from './acceptance-check';
export { assignStage, type AssignStageInput } from './assign-stage';
export { unassignStage } from './unassign-stage';
