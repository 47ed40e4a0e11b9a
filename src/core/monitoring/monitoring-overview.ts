import type { MonitoringRecord } from '../objects/types';
import type { Store } from '../store';
import { readObjectsOfKind } from '../versions/read-objects';
import { readMonitoringRecords } from './read-records';
import { trainingDistribution } from './training-distribution';

/** What a batch is compared with: its version's training distribution (per class of the record) and validation accuracy. */
export interface MonitoringBaseline {
  training: number[];
  valAccuracy: number | null;
}

/** Every monitoring record, newest first, with the baseline of each (by record id). */
export async function monitoringOverview(store: Store): Promise<{ records: { id: string; record: MonitoringRecord }[]; baselines: Map<string, MonitoringBaseline> }> {
  const records = await readMonitoringRecords(store);
  const versions = await readObjectsOfKind(store, records.map(({ record }) => record.version), 'version');
  const datasets = await readObjectsOfKind(store, [...versions.values()].map((version) => version.dataset), 'dataset');
  const baselines = new Map(
    records.map(({ id, record }) => {
      const version = versions.get(record.version)!;
      return [id, { training: trainingDistribution(version, datasets.get(version.dataset)!, record.classNames), valAccuracy: version.metrics['val_accuracy'] ?? null }];
    }),
  );
  return { records, baselines };
}
