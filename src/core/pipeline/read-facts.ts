import { diffEntries } from '../dataset/changes';
import { pixelCacheKey } from '../preprocess/pixels';
import { importedRunOf } from '../runs/imported-run';
import type { Store } from '../store';
import type { TrainParams } from '../train/params';
import { readRefState } from '../versions/ref-state';
import { findCachedRun } from '../versions/run-cache';
import { summarizeFileChanges } from '../versions/file-changes';
import type { PipelineFacts } from './types';

export interface PipelineQuery {
  params: TrainParams;
  /** The data set the page's validation report is about (null before the first check). */
  checkedDatasetId: string | null;
  appVersion: string;
}

/**
 * Reads what the pipeline's status depends on: the workspace data set, the
 * last run (the lock), the pixel caches of the workspace, the run-cache's
 * answer, and the files that differ between the run's data set and the
 * workspace's (read only when they differ).
 */
export async function readPipelineFacts(store: Store, query: PipelineQuery): Promise<PipelineFacts> {
  const refs = await readRefState(store);
  const runVersion = refs.run === null ? null : await store.getObject(refs.run, 'version');
  const datasetIds = [refs.workspace, runVersion && runVersion.dataset !== refs.workspace ? runVersion.dataset : null];
  const datasets = await store.findObjects(datasetIds.filter((id): id is string => id !== null), 'dataset');
  const workspace = refs.workspace === null ? null : datasets.get(refs.workspace)!;

  const pixelCaches: PipelineFacts['pixelCaches'] = [];
  if (refs.workspace !== null && workspace) {
    for (const key of await store.derivedKeys('pixels/')) {
      const size = Number(key.split('/')[1]);
      if (key === pixelCacheKey(refs.workspace, size)) pixelCaches.push({ size, bytes: workspace.entries.length * size * size * 3 });
    }
  }

  let run: PipelineFacts['run'] = null;
  let dataChanges: PipelineFacts['dataChanges'] = null;
  if (runVersion) {
    const model = runVersion.model === null ? null : await store.getObject(runVersion.model, 'model');
    const weights = model ? await store.getBlobRecord(model.weights) : undefined;
    const appVersion = runVersion.run?.['appVersion'];
    const evaluation = runVersion.run?.['evaluation'];
    run = {
      datasetId: runVersion.dataset,
      params: runVersion.params,
      appVersion: typeof appVersion === 'string' ? appVersion : null,
      imported: importedRunOf(runVersion.run) !== null,
      model: model ? { weightsMd5: weights?.md5 ?? null, weightsSize: model.weightsSize } : null,
      hasEvaluation: typeof evaluation === 'object' && evaluation !== null,
    };
    const before = datasets.get(runVersion.dataset);
    if (workspace && before && runVersion.dataset !== refs.workspace) dataChanges = summarizeFileChanges(diffEntries(before.entries, workspace.entries));
  }

  const cached = refs.workspace === null ? null : await findCachedRun(store, { datasetId: refs.workspace, params: query.params, appVersion: query.appVersion });
  return {
    workspace: refs.workspace === null || !workspace ? null : { id: refs.workspace, dvc: workspace.dvc },
    checkedDatasetId: query.checkedDatasetId,
    params: query.params,
    appVersion: query.appVersion,
    pixelCaches: pixelCaches.sort((a, b) => a.size - b.size),
    run,
    dataChanges,
    cached,
  };
}
