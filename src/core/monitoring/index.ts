// Monitoring: batches predicted by a version's model, kept as records of that version.
export { MONITORING_REF_PREFIX, monitoringRefName, monitoringRefPrefix } from './ref-names';
export { batchItems, type BatchFile, type BatchItem } from './batch-items';
export { saveMonitoringRecord, type RecordInput } from './save-record';
export { readMonitoringRecords } from './read-records';
export { percentile } from './percentile';
export { populationStabilityIndex, PSI_FLOOR } from './psi';
export { trainingDistribution } from './training-distribution';
export { summarizeRecord, DEFAULT_THRESHOLDS, CONFIDENCE_BINS, type MonitoringSummary, type MonitoringThresholds } from './summarize';
export { monitoringCsv, monitoringJson } from './export-record';
export { monitoringOverview, type MonitoringBaseline } from './monitoring-overview';
