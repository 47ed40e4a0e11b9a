import { diffEntries } from '../dataset/changes';
import { workspaceFeedback } from '../feedback/pending-feedback';
import { countOf } from '../format/numbers';
import type { Store } from '../store';
import { describeFileChanges, summarizeFileChanges, type FileChanges } from './file-changes';
import { modelState, type ModelState } from './model-state';
import { readRefState } from './ref-state';

export interface WorkspaceStatus {
  /** The checked-out version; null before the first commit. */
  head: string | null;
  headTags: string[];
  /** The workspace data set against HEAD's (`git status` on data.dvc, `dvc status`). */
  dataset: FileChanges & {
    changed: boolean;
    /** e.g. "+1 000 files in train/cats, train/dogs"; null when unchanged. */
    text: string | null;
  };
  model: ModelState;
  /** Images the workspace holds from "Correct label", not yet committed. */
  feedback: number;
  /** One line for the page: "+1 000 files in train/cats, train/dogs, model trained, not committed" or "Up to date with v1.0". */
  text: string;
}

const MODEL_TEXT: Record<ModelState, string | null> = {
  none: null,
  committed: null,
  'trained-not-committed': 'model trained, not committed',
  stale: 'model trained on other data',
};

/** How the workspace (data set and last run) differs from HEAD. Reads no data sets when the data is unchanged. */
export async function workspaceStatus(store: Store): Promise<WorkspaceStatus> {
  const refs = await readRefState(store);
  const versions = await store.getObjects([refs.head, refs.run], 'version');
  const head = refs.head === null ? null : versions.get(refs.head)!;
  const run = refs.run === null ? null : versions.get(refs.run)!;
  const headTags = refs.head === null ? [] : (refs.tagsByVersion.get(refs.head) ?? []);
  const headDatasetId = head?.dataset ?? null;

  const dataset = await datasetStatus(store, headDatasetId, refs.workspace);
  const model = modelState(run, head, refs.workspace);
  const feedback = (await workspaceFeedback(store, refs.feedback, refs.workspace)).length;
  const parts = [dataset.text, feedback > 0 ? countOf(feedback, 'feedback image') : null, MODEL_TEXT[model]].filter((part): part is string => part !== null);
  let text: string;
  if (parts.length > 0) text = capitalize(parts.join(', '));
  else if (head !== null) text = `Up to date with ${headTags[0] ?? `“${head.message}”`}`;
  else text = 'No data yet: add images to start';
  return { head: refs.head, headTags, dataset, model, feedback, text };
}

async function datasetStatus(store: Store, headDatasetId: string | null, workspaceId: string | null): Promise<WorkspaceStatus['dataset']> {
  const unchanged = { changed: false, text: null, added: 0, removed: 0, modified: 0, relabelled: 0, byClass: [] };
  if (workspaceId === headDatasetId) return unchanged;
  const datasets = await store.getObjects([headDatasetId, workspaceId], 'dataset');
  const entriesOf = (id: string | null) => (id === null ? [] : datasets.get(id)!.entries);
  const changes = summarizeFileChanges(diffEntries(entriesOf(headDatasetId), entriesOf(workspaceId)));
  const text = describeFileChanges(changes);
  // Before the first commit an empty workspace is nothing to commit; otherwise
  // another data set object with the same files (a renamed root) still differs.
  if (text === null && headDatasetId === null) return unchanged;
  return { ...changes, changed: true, text: text ?? 'data set changed' };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);
