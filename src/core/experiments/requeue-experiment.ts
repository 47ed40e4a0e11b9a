import type { Store } from '../store';
import { ExperimentError } from './experiment-error';
import type { ExperimentRecord } from './record';

/**
 * "Queue again": a failed, cancelled or interrupted experiment goes to the end
 * of the queue with the same settings (its data set is still kept by its ref).
 */
export async function requeueExperiment(store: Store, experimentId: string): Promise<ExperimentRecord> {
  return store.underLock(async (locked) => {
    const records = await locked.listExperiments();
    const record = records.find((candidate) => candidate.id === experimentId);
    if (!record) throw new ExperimentError('no-such-experiment', 'That experiment is no longer stored (it may have been removed in another tab).');
    if (record.status === 'queued' || record.status === 'running' || record.status === 'done') {
      throw new ExperimentError('not-finished', `${record.name} is ${record.status}: only a failed, cancelled or interrupted experiment is queued again.`);
    }
    const { startedAt: _started, endedAt: _ended, runner: _runner, reason: _reason, ...settings } = record;
    const order = records.reduce((last, candidate) => Math.max(last, candidate.order), 0) + 1;
    const queued: ExperimentRecord = { ...settings, status: 'queued', order };
    await locked.updateExperiments({ put: [queued] });
    return queued;
  });
}
