import { objectId } from '../objects/object-id';
import type { Version } from '../objects/types';
import type { Store } from '../store';
import type { CachedRun } from '../versions/run-cache';
import { experimentRefName } from '../versions/ref-names';
import type { ExperimentRecord } from './record';

/**
 * Ends an experiment with a stored run's model instead of training (the
 * run-cache): its result is a version with that run's model, metrics and
 * history, recording the experiment and the run it was taken from
 * (`run.cachedFrom`), kept by `experiments/<id>` and written with the done
 * record in one transaction. Returns the done record.
 */
export async function completeFromCache(store: Store, record: ExperimentRecord, hit: CachedRun, now = new Date()): Promise<ExperimentRecord> {
  const source = await store.getObject(hit.versionId, 'version');
  const result: Version = {
    ...source,
    parent: record.baseline,
    message: '',
    createdAt: now.toISOString(),
    run: { ...source.run, experiment: { id: record.id, name: record.name }, cachedFrom: hit.versionId },
  };
  const resultId = await objectId(result);
  const done: ExperimentRecord = {
    ...record,
    status: 'done',
    endedAt: now.toISOString(),
    result: resultId,
    cached: { versionId: hit.versionId, label: hit.label },
  };
  await store.commit({
    objects: [result],
    refs: new Map([[experimentRefName(record.id), resultId]]),
    experiments: { put: [done] },
    // The baseline is history only: a version deleted since does not stop the run.
    allowMissingParents: true,
  });
  return done;
}
