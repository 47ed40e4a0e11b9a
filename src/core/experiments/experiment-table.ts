import type { DvcDirInfo, Version } from '../objects/types';
import type { BackendChoice } from '../runs/choose-backend';
import type { Store } from '../store';
import type { TrainParams } from '../train/params';
import { derivePerDataset, type DatasetDerivation } from '../versions/dataset-derived';
import { readRefState } from '../versions/ref-state';
import { experimentOf, type ExperimentStatus } from './record';

/** One row of the Experiments table (`dvc exp show`): the experiment, its params, and its result when done. */
export interface ExperimentRow {
  id: string;
  name: string;
  status: ExperimentStatus;
  order: number;
  batch: string;
  queuedAt: string;
  startedAt: string | null;
  endedAt: string | null;
  reason: string | null;
  params: TrainParams;
  /** The backend asked for (Auto or one by name) and the one it trained on. */
  backend: BackendChoice;
  ranOn: string | null;
  /** The data set it trained on, and its DVC hash (`<md5>.dir`). */
  dataset: { id: string; md5: string };
  appVersion: string;
  metrics: Record<string, number>;
  /** Per-epoch rows, for the learning curves. */
  history: Record<string, number>[];
  durationMs: number | null;
  /** Done from the run-cache: the stored run it took its model from. */
  cached: { versionId: string; label: string } | null;
  resultId: string | null;
  /** Its result is the last run (applied, or committed from it). */
  applied: boolean;
  /** The versions on the timeline that came from it: their first tag, else their message. */
  committedAs: string[];
}

/** HEAD's run, the row experiments are compared with (DVC's baseline). */
export interface BaselineRow {
  versionId: string;
  /** HEAD's first tag, else its message. */
  label: string;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  history: Record<string, number>[];
  dataset: { id: string; md5: string };
  hasModel: boolean;
  /** The experiment it was committed from, if any. */
  experiment: string | null;
}

export interface ExperimentTable {
  rows: ExperimentRow[];
  baseline: BaselineRow | null;
}

const DVC_INFO: DatasetDerivation<DvcDirInfo> = {
  name: 'dvc',
  compute: (dataset) => ({ ...dataset.dvc }),
  isValid: (value): value is DvcDirInfo => typeof (value as Partial<DvcDirInfo> | null)?.md5 === 'string',
};

/**
 * The Experiments table: every stored experiment in queue order with its
 * result's metrics and history, and HEAD's run as the baseline. Reads the
 * records, the result versions and the timeline in a few batched reads; the
 * data sets' DVC hashes come from the derived cache (one read per data set,
 * once).
 */
export async function experimentTable(store: Store): Promise<ExperimentTable> {
  const [records, refs] = await Promise.all([store.listExperiments(), readRefState(store)]);
  const results = records.flatMap((record) => (record.result ? [record.result] : []));
  const versions = await store.getObjects([...results, ...refs.timeline.keys(), refs.head], 'version');
  const datasets = [...records.map((record) => record.datasetId), ...(refs.head ? [versions.get(refs.head)!.dataset] : [])];
  const dvc = await derivePerDataset(store, datasets, DVC_INFO);
  const dataset = (id: string) => ({ id, md5: dvc.get(id)?.md5 ?? '' });

  const labelOf = (id: string, version: Version) => refs.tagsByVersion.get(id)?.[0] ?? version.message;
  const committed = new Map<string, string[]>();
  for (const id of refs.timeline.keys()) {
    const version = versions.get(id)!;
    const origin = experimentOf(version.run);
    if (origin && !refs.timeline.get(id)!.stash) committed.set(origin.id, [...(committed.get(origin.id) ?? []), labelOf(id, version)]);
  }
  const run = refs.run === null ? null : ((await store.findObjects([refs.run], 'version')).get(refs.run) ?? null);
  const appliedExperiment = experimentOf(run?.run ?? null)?.id ?? null;

  const rows = records.map((record): ExperimentRow => {
    const result = record.result ? versions.get(record.result)! : null;
    const ranOn = result?.run?.['backend'];
    const duration = result?.run?.['durationMs'];
    return {
      id: record.id,
      name: record.name,
      status: record.status,
      order: record.order,
      batch: record.batch,
      queuedAt: record.queuedAt,
      startedAt: record.startedAt ?? null,
      endedAt: record.endedAt ?? null,
      reason: record.reason ?? null,
      params: record.params,
      backend: record.backend,
      ranOn: typeof ranOn === 'string' ? ranOn : null,
      dataset: dataset(record.datasetId),
      appVersion: record.appVersion,
      metrics: result?.metrics ?? {},
      history: result?.history ?? [],
      durationMs: typeof duration === 'number' && !record.cached ? duration : null,
      cached: record.cached ?? null,
      resultId: record.result ?? null,
      applied: appliedExperiment === record.id,
      committedAs: committed.get(record.id) ?? [],
    };
  });

  const head = refs.head === null ? null : versions.get(refs.head)!;
  const baseline: BaselineRow | null =
    head && refs.head
      ? {
          versionId: refs.head,
          label: labelOf(refs.head, head),
          params: head.params,
          metrics: head.metrics,
          history: head.history,
          dataset: dataset(head.dataset),
          hasModel: head.model !== null,
          experiment: experimentOf(head.run)?.name ?? null,
        }
      : null;
  return { rows, baseline };
}
