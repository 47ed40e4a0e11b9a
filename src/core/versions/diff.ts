import { diffEntries, type EntryChanges } from '../dataset/changes';
import type { FeedbackItem, Version } from '../objects/types';
import type { Store } from '../store';
import { confusionOf, type Confusion } from './confusion';
import { diffMetrics, type MetricChange } from './diff-metrics';
import { diffParams, type ParamChange } from './diff-params';
import { summarizeFileChanges, type FileChanges } from './file-changes';
import { listFileChanges, type FileChange } from './file-change-list';

export interface VersionDiff {
  /** `dvc diff`: files added, removed and modified, per split and class. */
  files: FileChanges;
  /** `dvc params diff`: only the params that changed. */
  params: ParamChange[];
  /** `dvc metrics diff`: every metric of either version, with the change. */
  metrics: MetricChange[];
  /** `dvc plots diff`: both learning curves (per-epoch rows), to overlay. */
  curves: { from: Record<string, number>[]; to: Record<string, number>[] };
  /** Side-by-side confusion matrices; null for a version without a model. */
  confusion: { from: Confusion | null; to: Confusion | null };
  /** The files each version took from "Correct label" (feedback), with the batch they came from. */
  feedback: { from: FeedbackItem[]; to: FeedbackItem[] };
}

/** Compares two versions: what changed from `fromId` to `toId`. Reads the two versions and their data sets; no blobs. */
export async function diffVersions(store: Store, fromId: string, toId: string): Promise<VersionDiff> {
  const { from, to, files } = await readBoth(store, fromId, toId);
  return {
    files: summarizeFileChanges(files),
    params: diffParams(from.params, to.params),
    metrics: diffMetrics(from.metrics, to.metrics),
    curves: { from: from.history, to: to.history },
    confusion: { from: confusionOf(from), to: confusionOf(to) },
    feedback: { from: from.feedback ?? [], to: to.feedback ?? [] },
  };
}

/** Every file that differs from `fromId`'s data set to `toId`'s, for the thumbnails of a comparison. */
export async function diffFileList(store: Store, fromId: string, toId: string): Promise<FileChange[]> {
  return listFileChanges((await readBoth(store, fromId, toId)).files);
}

async function readBoth(store: Store, fromId: string, toId: string): Promise<{ from: Version; to: Version; files: EntryChanges }> {
  const versions = await store.getObjects([fromId, toId], 'version');
  const from = versions.get(fromId)!;
  const to = versions.get(toId)!;
  const datasets = await store.getObjects([from.dataset, to.dataset], 'dataset');
  return { from, to, files: diffEntries(datasets.get(from.dataset)!.entries, datasets.get(to.dataset)!.entries) };
}
