import { dvcFileText } from '../hash/dvc';
import type { Dataset, DvcDirInfo } from '../objects/types';
import { trainingCounts } from '../runs/training-data';
import { DEFAULT_PARAMS } from '../train/params';
import type { SplitCounts } from '../train/split';
import { summarizeClasses, type ClassSummary } from './summary';

/**
 * What the page shows of the workspace data set, computed where the data set
 * is read (a worker) so the main thread never walks 10 000 entries.
 */
export interface WorkspaceView {
  id: string;
  root: string;
  dvc: DvcDirInfo;
  /** The `<root>.dvc` file, byte for byte as `dvc add` writes it. */
  dvcText: string;
  summary: ClassSummary;
  /** How the images would split for training (the counts do not depend on the seed). */
  trainingCounts: SplitCounts;
}

export function viewOfWorkspace(id: string, dataset: Dataset): WorkspaceView {
  return {
    id,
    root: dataset.root,
    dvc: dataset.dvc,
    dvcText: dvcFileText({ ...dataset.dvc, path: dataset.root }),
    summary: summarizeClasses(dataset.entries),
    trainingCounts: trainingCounts(dataset.entries, DEFAULT_PARAMS),
  };
}
