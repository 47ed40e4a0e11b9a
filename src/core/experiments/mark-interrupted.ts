import type { Store } from '../store';
import type { ExperimentRecord } from './record';

export const INTERRUPTED_REASON = 'Interrupted: the tab running it was closed or reloaded. Queue it again to run it.';

/**
 * Runs left "running" by a tab that closed or reloaded mid-run. Only the tab
 * holding the queue's Web Lock runs experiments, so once a tab holds it, any
 * record still running belongs to a runner that is gone: it is marked
 * interrupted (kept, with Queue again), never dropped. Returns those records.
 */
export async function markInterrupted(store: Store, now = new Date()): Promise<ExperimentRecord[]> {
  return store.underLock(async (locked) => {
    const stale = (await locked.listExperiments()).filter((record) => record.status === 'running');
    const interrupted = stale.map((record): ExperimentRecord => ({ ...record, status: 'interrupted', reason: INTERRUPTED_REASON, endedAt: now.toISOString() }));
    if (interrupted.length > 0) await locked.updateExperiments({ put: interrupted });
    return interrupted;
  });
}
