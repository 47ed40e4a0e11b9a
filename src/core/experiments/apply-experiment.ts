import type { Version } from '../objects/types';
import type { Store } from '../store';
import { RUN_REF, WORKSPACE_REF } from '../versions/ref-names';
import { readRefState, workRefsAsRead } from '../versions/ref-state';
import { updateRefs } from '../versions/update-refs';
import { workAtRisk } from '../versions/work-at-risk';
import { ExperimentError } from './experiment-error';

export interface AppliedExperiment {
  resultId: string;
  result: Version;
  /** The workspace's data set was replaced by the one the experiment trained on. */
  datasetChanged: boolean;
}

/**
 * "Apply" (`dvc exp apply`): the experiment's result becomes the last run, so
 * the Training region shows its params, metrics and model and Commit makes it
 * a version (recording the experiment). When it trained on another data set
 * than the workspace's, the workspace takes that data set too, unless the
 * workspace holds changes no version keeps: then nothing changes and the user
 * is told to commit first. One guarded ref update.
 */
export async function applyExperiment(store: Store, experimentId: string): Promise<AppliedExperiment> {
  return store.underLock(async (locked) => {
    const record = (await locked.listExperiments()).find((candidate) => candidate.id === experimentId);
    if (!record) throw new ExperimentError('no-such-experiment', 'That experiment is no longer stored (it may have been removed in another tab).');
    if (record.status !== 'done' || !record.result) throw new ExperimentError('not-done', `${record.name} has no result to apply: it is ${record.status}.`);
    const refs = await readRefState(locked);
    const versions = await locked.getObjects([record.result, refs.run], 'version');
    const result = versions.get(record.result)!;
    const set = new Map([[RUN_REF, record.result]]);
    const datasetChanged = refs.workspace !== result.dataset;
    if (datasetChanged) {
      const run = refs.run === null ? null : versions.get(refs.run)!;
      if ((await workAtRisk(locked, refs, run)).data) {
        throw new ExperimentError(
          'uncommitted-data',
          `${record.name} was trained on another data set than the workspace's, and the workspace's data is not committed: commit it (or check out a version) first, then apply ${record.name}.`,
        );
      }
      set.set(WORKSPACE_REF, result.dataset);
    }
    await updateRefs(locked, { set, expect: workRefsAsRead(refs) });
    return { resultId: record.result, result, datasetChanged };
  });
}
