import { extractFeatures, type ExtractProgress } from '../features/extract-features';
import type { FeatureExtractor } from '../features/extractor';
import { featureInputs } from '../features/feature-inputs';
import { featureSetId } from '../features/feature-set';
import type { DecodeImage } from '../preprocess/pixels';
import { QuotaExceededError, type Store } from '../store';
import type { TrainParams } from '../train/params';
import { assignSplits, classNamesOf } from '../train/split';
import { readTrainingDataset, trainingCounts, trainingProblems, type TrainingData } from './training-data';

export interface FeatureDataOptions {
  signal?: AbortSignal;
  /** Called only when some images have no cached features yet. */
  onExtract?: (progress: ExtractProgress) => void;
  /** The computed features could not be kept (the browser's storage is full): the run uses them all the same, and the next one computes them again. */
  onNotKept?: () => void;
  /** Train on this data set rather than the workspace's (a queued experiment's). */
  datasetId?: string;
}

/** The training data of a pretrained-features run, and how much of it the cache already held. */
export interface FeatureData extends TrainingData {
  /** Images whose features were computed by this call (the rest came from the cache). */
  extracted: number;
  cached: number;
  dims: number;
}

/**
 * The workspace data set as bottleneck features of `params.backbone` at
 * `params.featureLayer`: rows already cached are read, the others computed
 * (`extractor` is loaded only then) and stored batch by batch, so adding
 * images to a data set computes features for the new ones only. Images that
 * did not decode are left out, as the pixel cache leaves them out. Rows that
 * do not fit (quota) are no failed run: they are used from memory, no later
 * batch is offered to the store, and onNotKept says so once.
 */
export async function loadFeatureData(
  store: Store,
  params: TrainParams,
  extractor: () => Promise<FeatureExtractor>,
  decode: DecodeImage,
  options: FeatureDataOptions = {},
): Promise<FeatureData> {
  const { id, dataset } = await readTrainingDataset(store, options.datasetId);
  const problems = trainingProblems(dataset ? trainingCounts(dataset.entries, params) : null, params);
  if (!id || !dataset || problems.length > 0) throw new Error(problems.join(' '));
  const set = await featureSetId({ backbone: params.backbone!, layer: params.featureLayer!, size: params.imageSize });
  const shas = [...new Set(dataset.entries.map((entry) => entry.sha256))];
  const rows = await store.getFeatures(set, shas);
  const cached = rows.size;
  const missing = shas.filter((sha256) => !rows.has(sha256));
  let dims = rows.values().next().value?.length ?? 0;
  let keeping = true;
  if (missing.length > 0) {
    const backbone = await extractor();
    dims = backbone.dims;
    await extractFeatures(
      backbone,
      missing,
      (batch) => store.getBlobs(batch),
      decode,
      async (computed) => {
        for (const [sha256, values] of computed) rows.set(sha256, values);
        if (!keeping) return;
        await store.putFeatures(set, computed).catch((error: unknown) => {
          if (!(error instanceof QuotaExceededError)) throw error;
          keeping = false;
          options.onNotKept?.();
        });
      },
      { signal: options.signal, onProgress: options.onExtract },
    );
  }
  const inputs = featureInputs(rows, dims);
  const usable = dataset.entries.filter((entry) => inputs.has(entry.sha256));
  return {
    datasetId: id,
    dataset,
    inputs,
    splits: assignSplits(usable, params),
    classNames: classNamesOf(usable),
    extracted: rows.size - cached,
    cached,
    dims,
  };
}
