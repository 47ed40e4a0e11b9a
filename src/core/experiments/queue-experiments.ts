import type { Store } from '../store';
import { experimentRefName } from '../versions/ref-names';
import { experimentName, newExperimentId } from './experiment-id';
import type { ExperimentRecord, ExperimentRequest } from './record';

/**
 * `dvc exp run --queue`, once per request: records queued after every stored
 * experiment, sharing one batch id, each with a ref `experiments/<id>` to the
 * data set it will train on (so gc keeps that data set until it has run),
 * all in one transaction. Returns the records in queue order.
 */
export async function queueExperiments(store: Store, requests: readonly ExperimentRequest[], now = new Date()): Promise<ExperimentRecord[]> {
  if (requests.length === 0) return [];
  return store.underLock(async (locked) => {
    const existing = await locked.listExperiments();
    const taken = new Set(existing.map((record) => record.name));
    let order = existing.reduce((last, record) => Math.max(last, record.order), 0);
    const batch = newExperimentId();
    const records = requests.map((request): ExperimentRecord => {
      const id = newExperimentId();
      const name = experimentName(id, taken);
      taken.add(name);
      return { ...structuredClone(request), id, name, order: ++order, queuedAt: now.toISOString(), batch, status: 'queued' };
    });
    await locked.commit({
      refs: new Map(records.map((record) => [experimentRefName(record.id), record.datasetId])),
      experiments: { put: records },
    });
    return records;
  });
}
