import { readWorkspace } from '../dataset/workspace';
import type { Dataset, DatasetEntry } from '../objects/types';
import type { DecodeImage } from '../preprocess/pixels';
import { preparePixels } from '../preprocess/prepare';
import type { Store } from '../store';
import { pixelInputs, type ModelInputs } from '../train/inputs';
import type { TrainParams } from '../train/params';
import { paramsProblems } from '../train/params';
import { assignSplits, classNamesOf, splitCounts, type SplitCounts, type Splits } from '../train/split';

export interface TrainingData {
  datasetId: string;
  dataset: Dataset;
  /** The images' pixels, or their bottleneck features (pretrained features). */
  inputs: ModelInputs;
  splits: Splits;
  classNames: string[];
}

/** How a data set's entries split for training: the numbers paramsProblems judges. */
export function trainingCounts(entries: readonly DatasetEntry[], params: Pick<TrainParams, 'seed' | 'holdout'>): SplitCounts {
  return splitCounts(assignSplits(entries, params), classNamesOf(entries).length);
}

/** Why training cannot start with these parameters on a data set that splits as `counts` (sentences), or none. */
export function trainingProblems(counts: SplitCounts | null, params: TrainParams): string[] {
  if (!counts || counts.train + counts.validation === 0) return ['Add images first: the data set is empty.'];
  return paramsProblems(params, counts);
}

/** The data set a run trains on: the workspace's, or a given one (a queued experiment's, fixed when it was queued). */
export async function readTrainingDataset(store: Store, datasetId?: string): Promise<{ id: string | null; dataset: Dataset | null }> {
  if (datasetId === undefined) return readWorkspace(store);
  return { id: datasetId, dataset: await store.getObject(datasetId, 'dataset') };
}

/**
 * The workspace data set (or `options.datasetId`) at the training image size:
 * decoded (from the pixel cache when it is there), split, and with images
 * that did not decode left out.
 */
export async function loadTrainingData(
  store: Store,
  params: TrainParams,
  decode: DecodeImage,
  options: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void; datasetId?: string } = {},
): Promise<TrainingData> {
  const { id, dataset } = await readTrainingDataset(store, options.datasetId);
  const problems = trainingProblems(dataset ? trainingCounts(dataset.entries, params) : null, params);
  if (!id || !dataset || problems.length > 0) throw new Error(problems.join(' '));
  const cache = await preparePixels(store, id, dataset, params.imageSize, decode, options);
  const inputs = pixelInputs(cache);
  const decodable = dataset.entries.filter((entry) => inputs.has(entry.sha256));
  return { datasetId: id, dataset, inputs, splits: assignSplits(decodable, params), classNames: classNamesOf(decodable) };
}
