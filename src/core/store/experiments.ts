import { isExperimentRecord, type ExperimentRecord } from '../experiments/record';
import type { IDBPObjectStore } from 'idb';
import type { PawprintDB, PawprintSchema, StoreName } from './schema';

/** Experiment records to write and to delete, in one transaction (alone, or with a commit's objects and refs). */
export interface ExperimentUpdate {
  put?: readonly ExperimentRecord[];
  remove?: readonly string[];
}

/** Every experiment record, in queue order. A record this code cannot read (a newer Pawprint's) is skipped. */
export async function listExperiments(db: PawprintDB): Promise<ExperimentRecord[]> {
  const records = (await db.getAll('experiments')).filter(isExperimentRecord);
  return records.sort((a, b) => a.order - b.order || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Applies an update to the `experiments` store of a readwrite transaction. */
export async function writeExperiments(store: IDBPObjectStore<PawprintSchema, StoreName[], 'experiments', 'readwrite'>, update: ExperimentUpdate): Promise<void> {
  await Promise.all([...(update.put ?? []).map(async (record) => store.put(structuredClone(record))), ...(update.remove ?? []).map(async (id) => store.delete(id))]);
}

export function hasExperimentWrites(update: ExperimentUpdate | undefined): update is ExperimentUpdate {
  return (update?.put?.length ?? 0) + (update?.remove?.length ?? 0) > 0;
}
