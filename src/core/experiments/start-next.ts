import type { Store } from '../store';
import { findCachedRun } from '../versions/run-cache';
import { completeFromCache } from './complete-from-cache';
import type { ExperimentRecord } from './record';

/** The experiment a runner takes next: to train, or already done from the run-cache. */
export interface StartedExperiment {
  record: ExperimentRecord;
  /** Its inputs matched a stored run, whose model it now has: nothing to train. */
  cached: boolean;
}

/**
 * Takes the first queued experiment and marks it running by `runner` (the
 * tab), under the store lock so no other tab takes it too. When a stored run
 * (a version, the last run or another experiment) was trained on the same
 * data set with the same params and code, the experiment is done at once
 * with that model (DVC's run-cache). Null when nothing is queued.
 */
export async function startNextExperiment(store: Store, runner: string, now = new Date()): Promise<StartedExperiment | null> {
  return store.underLock(async (locked) => {
    const next = (await locked.listExperiments()).find((record) => record.status === 'queued');
    if (!next) return null;
    const running: ExperimentRecord = { ...next, status: 'running', startedAt: now.toISOString(), runner };
    const hit = await findCachedRun(locked, { datasetId: next.datasetId, params: next.params, appVersion: next.appVersion });
    if (hit) return { record: await completeFromCache(locked, running, hit, now), cached: true };
    await locked.updateExperiments({ put: [running] });
    return { record: running, cached: false };
  });
}
