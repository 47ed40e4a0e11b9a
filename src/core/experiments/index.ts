// Experiments (`dvc exp`): a queue of training runs over a grid of params, their results and the table.
export { EXPERIMENT_STATUSES, FINISHED_STATUSES, experimentOf, type ExperimentOrigin, type ExperimentRecord, type ExperimentRequest, type ExperimentStatus } from './record';
export { ExperimentError, type ExperimentErrorCode } from './experiment-error';
export { buildGrid, choicesOf, GRID_NUMBERS, type GridChoices } from './grid';
export { parseValues } from './parse-values';
export { queueExperiments } from './queue-experiments';
export { startNextExperiment, type StartedExperiment } from './start-next';
export { completeFromCache } from './complete-from-cache';
export { saveExperimentResult } from './save-result';
export { endExperiment } from './end-experiment';
export { markInterrupted, INTERRUPTED_REASON } from './mark-interrupted';
export { requeueExperiment } from './requeue-experiment';
export { removeExperiment } from './remove-experiment';
export { applyExperiment, type AppliedExperiment } from './apply-experiment';
export { experimentTable, type BaselineRow, type ExperimentRow, type ExperimentTable } from './experiment-table';
export { ALL_COLUMNS, INFO_COLUMNS, METRIC_COLUMNS, PARAM_COLUMNS, bestRows, columnOf, sortRows, type CellValue, type Column, type ParamColumn } from './table-columns';
export { experimentsCsv, experimentsJson } from './table-export';
export { scatterOf, type Scatter, type ScatterPoint } from './scatter';
export { runQueue, STOPPED_REASON, type QueueRunner, type TrainOutcome } from './run-queue';
