import type { MonitoringRecord } from '../objects/types';
import type { Store } from '../store';
import { readMonitoringRecords } from './read-records';
import { trainingDistribution } from './training-distribution';

/** What a batch is compared with: its version's training distribution (per class of the record) and validation accuracy. */
export interface MonitoringBaseline {
  training: number[];
  valAccuracy: number | null;
}

/** A kept batch as the page lists it (its predictions are fetched when it is shown). */
export interface MonitoringBatch {
  id: string;
  version: string;
  name: string;
  createdAt: string;
  images: number;
  errors: number;
  baseline: MonitoringBaseline;
}

/** Every monitoring record, newest first, with the baseline of each. */
export async function monitoringOverview(store: Store): Promise<MonitoringBatch[]> {
  const records = await readMonitoringRecords(store);
  const versions = await store.getObjects(records.map(({ record }) => record.version), 'version');
  const datasets = await store.getObjects([...versions.values()].map((version) => version.dataset), 'dataset');
  // Batches of one version share its baseline: the split is made once per version, not per batch.
  const perVersion = new Map<string, MonitoringBaseline>();
  const baselineOf = (record: MonitoringRecord): MonitoringBaseline => {
    const known = perVersion.get(record.version);
    if (known) return known;
    const version = versions.get(record.version)!;
    const baseline = { training: trainingDistribution(version, datasets.get(version.dataset)!, record.classNames), valAccuracy: version.metrics['val_accuracy'] ?? null };
    perVersion.set(record.version, baseline);
    return baseline;
  };
  return records.map(({ id, record }) => ({
    id,
    version: record.version,
    name: record.name,
    createdAt: record.createdAt,
    images: record.predictions.length,
    errors: record.errors.length,
    baseline: baselineOf(record),
  }));
}
