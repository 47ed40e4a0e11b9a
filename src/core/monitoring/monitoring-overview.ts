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

// A version never changes, nor does its model's classes: its baseline is computed once (per
// database), not after every write the page refreshes for.
const baselines = new Map<string, Map<string, MonitoringBaseline>>();

/** Every monitoring record, newest first, with the baseline of each. */
export async function monitoringOverview(store: Store): Promise<MonitoringBatch[]> {
  const records = await readMonitoringRecords(store);
  const known = baselines.get(store.name) ?? baselines.set(store.name, new Map()).get(store.name)!;
  const unknown = [...new Set(records.map(({ record }) => record.version))].filter((id) => !known.has(id));
  const versions = await store.getObjects(unknown, 'version');
  const datasets = await store.getObjects([...versions.values()].map((version) => version.dataset), 'dataset');
  const baselineOf = (record: MonitoringRecord): MonitoringBaseline => {
    const cached = known.get(record.version);
    if (cached) return cached;
    const version = versions.get(record.version)!;
    const baseline = { training: trainingDistribution(version, datasets.get(version.dataset)!, record.classNames), valAccuracy: version.metrics['val_accuracy'] ?? null };
    known.set(record.version, baseline);
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
