import type { MonitoringRecord } from '../objects/types';
import type { Store } from '../store';
import { MONITORING_REF_PREFIX } from './ref-names';

// Records are immutable and large (a probability per class per image): each is read and
// checked once per store (by database name: a locked view is another object), not on every
// refresh of the page or of the storage figures.
const known = new Map<string, Map<string, MonitoringRecord>>();

/** Every monitoring record in the store, newest first. */
export async function readMonitoringRecords(store: Store): Promise<{ id: string; record: MonitoringRecord }[]> {
  const refs = await store.listRefs(MONITORING_REF_PREFIX);
  const cache = known.get(store.name) ?? known.set(store.name, new Map()).get(store.name)!;
  const ids = refs.map((ref) => ref.target);
  for (const [id, record] of await store.getObjects(ids.filter((id) => !cache.has(id)), 'monitoring')) cache.set(id, record);
  const live = new Set(ids);
  for (const id of cache.keys()) if (!live.has(id)) cache.delete(id);
  return ids
    .map((id) => ({ id, record: cache.get(id)! }))
    .sort((a, b) => Date.parse(b.record.createdAt) - Date.parse(a.record.createdAt) || (a.id < b.id ? -1 : 1));
}
