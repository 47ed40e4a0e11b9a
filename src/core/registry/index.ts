// The model registry: stage assignments of versions' models, as GTO's tags.
export { RegistryError } from './errors';
export { readRegistry, type Registry, type RegistryEntry } from './read-registry';
export { assignStage, type AssignStageInput } from './assign-stage';
export { unassignStage } from './unassign-stage';
