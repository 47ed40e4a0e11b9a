import type { Store } from '../store';
import type { ExperimentRecord } from './record';

/**
 * Ends an experiment that did not finish: `failed` (training refused or
 * broke) or `cancelled` (Stop while running, Cancel while queued), with the
 * reason. Only a queued or running experiment can end so: one that ended
 * meanwhile (done in another tab, removed) is left as it is, and null says so.
 */
export async function endExperiment(
  store: Store,
  experimentId: string,
  status: 'failed' | 'cancelled',
  reason: string,
  now = new Date(),
): Promise<ExperimentRecord | null> {
  return store.underLock(async (locked) => {
    const record = (await locked.listExperiments()).find((candidate) => candidate.id === experimentId);
    if (record?.status !== 'queued' && record?.status !== 'running') return null;
    const ended: ExperimentRecord = { ...record, status, reason, endedAt: now.toISOString() };
    await locked.updateExperiments({ put: [ended] });
    return ended;
  });
}
