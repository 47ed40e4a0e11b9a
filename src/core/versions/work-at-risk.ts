import type { Version } from '../objects/types';
import type { Store } from '../store';
import type { RefState } from './ref-state';

/** Workspace state that no version on the timeline keeps: moving the workspace refs away would lose it. */
export interface WorkAtRisk {
  /** The workspace data set, unless some version has it. */
  data: boolean;
  /** The last run's model, unless some version has it. */
  model: boolean;
}

/**
 * What uncommitted work exists, judged against the whole timeline rather
 * than HEAD alone: after "Check out data only" the workspace differs from
 * HEAD but holds another version's data set, and nothing is lost by moving on.
 * Experiments keep what they hold as well: their data sets and their results' models.
 */
export async function workAtRisk(store: Store, refs: RefState, run: Version | null): Promise<WorkAtRisk> {
  const experiments = await store.listExperiments();
  const results = experiments.flatMap((record) => (record.result ? [record.result] : []));
  const versions = [...(await store.getObjects([...refs.timeline.keys(), ...results], 'version')).values()];
  const keptDatasets = new Set([...versions.map((version) => version.dataset), ...experiments.map((record) => record.datasetId)]);
  const keptModels = new Set(versions.map((version) => version.model));
  return {
    data: refs.workspace !== null && !keptDatasets.has(refs.workspace),
    model: run !== null && run.model !== null && !keptModels.has(run.model),
  };
}
