// Monitoring: batches predicted by a version's model, kept as records of that version.
// (predict-batch.ts, which needs tfjs, is imported by the train worker on its own.)
export { batchItems } from './batch-items';
export { saveMonitoringRecord } from './save-record';
export { readMonitoringRecords } from './read-records';
export { percentile } from './percentile';
export { populationStabilityIndex } from './psi';
export { trainingDistribution } from './training-distribution';
export { summarizeRecord } from './summarize';
export { monitoringCsv } from './export-record';
export { monitoringOverview } from './monitoring-overview';
export { nothingPredictedMessage } from './nothing-predicted';
