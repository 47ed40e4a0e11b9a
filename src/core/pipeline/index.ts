// The pipeline (`dvc status`, `dvc repro`): the stages a version goes through, their deps and outs, and which are stale.
export { STAGE_NAMES, type Artifact, type PipelineFacts, type PipelineView, type StageName, type StageState, type StageView } from './types';
export { readPipelineFacts, type PipelineQuery } from './read-facts';
export { pipelineStatus } from './pipeline-status';
