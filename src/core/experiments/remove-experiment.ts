import type { GcResult, Store } from '../store';
import { forgetDeletedDatasets } from '../versions/dataset-derived';
import { experimentRefName } from '../versions/ref-names';
import { ExperimentError } from './experiment-error';

/**
 * "Remove" (`dvc exp remove`): the record and its ref go in one transaction,
 * then gc frees what only the experiment held (its model's weights, or the
 * data set a queued run was waiting for) and keeps what a version, the
 * workspace, the last run or another experiment still holds. A running
 * experiment is stopped first. Returns what gc freed.
 */
export async function removeExperiment(store: Store, experimentId: string): Promise<GcResult> {
  return store.underLock(async (locked) => {
    const record = (await locked.listExperiments()).find((candidate) => candidate.id === experimentId);
    if (!record) throw new ExperimentError('no-such-experiment', 'That experiment is no longer stored (it may have been removed in another tab).');
    if (record.status === 'running') throw new ExperimentError('running', `${record.name} is running: stop it first, then remove it.`);
    await locked.commit({ removeRefs: [experimentRefName(record.id)], experiments: { remove: [record.id] } });
    const freed = await locked.gc();
    await forgetDeletedDatasets(locked);
    return freed;
  });
}
