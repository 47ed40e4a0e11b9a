import { saveRun, type SavedRun, type SaveRunInput } from '../runs/save-run';
import type { Store } from '../store';
import { experimentRefName } from '../versions/ref-names';
import type { ExperimentRecord } from './record';

/**
 * Stores a finished experiment run: the weights, the model and the result
 * version (parent: the experiment's baseline; `run.experiment` names it)
 * under `experiments/<id>`, with the record marked done, in one transaction
 * after the weights. The last run (`workspace-run`) is left alone, as `dvc
 * exp run` leaves the workspace. Null, storing nothing, when the experiment is
 * no longer running (removed meanwhile).
 */
export async function saveExperimentResult(
  store: Store,
  experimentId: string,
  input: Omit<SaveRunInput, 'parent'>,
  now = new Date(),
): Promise<(SavedRun & { record: ExperimentRecord }) | null> {
  return store.underLock(async (locked) => {
    const record = (await locked.listExperiments()).find((candidate) => candidate.id === experimentId);
    if (record?.status !== 'running') return null;
    let done: ExperimentRecord | null = null;
    const saved = await saveRun(
      locked,
      { ...input, parent: record.baseline, run: { ...input.run, experiment: { id: record.id, name: record.name } } },
      {
        ref: experimentRefName(record.id),
        experiments: (runId) => {
          done = { ...record, status: 'done', endedAt: now.toISOString(), result: runId };
          return { put: [done] };
        },
        allowMissingParents: true,
      },
    );
    return { ...saved, record: done! };
  });
}
