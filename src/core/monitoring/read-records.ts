import type { MonitoringRecord } from '../objects/types';
import type { Store } from '../store';
import { readObjectsOfKind } from '../versions/read-objects';
import { MONITORING_REF_PREFIX } from './ref-names';

/** Every monitoring record in the store, newest first. */
export async function readMonitoringRecords(store: Store): Promise<{ id: string; record: MonitoringRecord }[]> {
  const refs = await store.listRefs(MONITORING_REF_PREFIX);
  const records = await readObjectsOfKind(store, refs.map((ref) => ref.target), 'monitoring');
  return [...records]
    .map(([id, record]) => ({ id, record }))
    .sort((a, b) => Date.parse(b.record.createdAt) - Date.parse(a.record.createdAt) || (a.id < b.id ? -1 : 1));
}
