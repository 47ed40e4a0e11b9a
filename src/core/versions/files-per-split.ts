import { SPLIT_COLUMNS, summarizeClasses, type SplitColumn } from '../dataset/summary';
import type { DatasetEntry } from '../objects/types';
import type { Store } from '../store';
import { derivePerDataset, type DatasetDerivation } from './dataset-derived';

/** Files per split (`unsplit`: no split folder, held out at training time) and in all. */
export type FilesPerSplit = Record<SplitColumn, number> & { total: number };

export function countFilesPerSplit(entries: readonly DatasetEntry[]): FilesPerSplit {
  const { totals, total } = summarizeClasses(entries);
  return { ...totals, total };
}

const FILES_PER_SPLIT: DatasetDerivation<FilesPerSplit> = {
  name: 'split-counts',
  compute: (dataset) => countFilesPerSplit(dataset.entries),
  isValid: (value): value is FilesPerSplit => {
    const counts = (value ?? {}) as Record<string, unknown>;
    return [...SPLIT_COLUMNS, 'total'].every((key) => Number.isSafeInteger(counts[key]));
  },
};

/** Files per split of many data sets, through the derived cache. */
export function datasetFilesPerSplit(
  store: Store,
  datasetIds: Iterable<string>,
  options: { signal?: AbortSignal } = {},
): Promise<Map<string, FilesPerSplit>> {
  return derivePerDataset(store, datasetIds, FILES_PER_SPLIT, options);
}
