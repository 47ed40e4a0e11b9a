// A small real project for the exchange tests: PNG images in a store, an
// (untrained) reference convnet saved by saveRun and a committed version.
import * as tf from '@tensorflow/tfjs';
import { PNG } from 'pngjs';
import { writeWorkspace } from '../../src/core/dataset/workspace';
import type { Dataset, DatasetEntry, Split } from '../../src/core/objects/types';
import { saveRun, type RunInfo } from '../../src/core/runs/save-run';
import type { Store } from '../../src/core/store';
import { buildReferenceConvnet } from '../../src/core/train/model';
import { DEFAULT_PARAMS, type TrainParams } from '../../src/core/train/params';
import type { HistoryRow } from '../../src/core/train/types';
import { commitVersion } from '../../src/core/versions/commit-version';
import { freshStore } from './versions-fixtures';

export { freshStore };

/** A size×size PNG of one colour, with `seed` in one pixel so every image's bytes differ; `alpha` < 255 makes it RGBA. */
export function pngOf(rgb: [number, number, number], seed: number, { size = 24, alpha = 255 } = {}): Uint8Array {
  const png = new PNG({ width: size, height: size });
  for (let i = 0; i < size * size; i++) png.data.set([...rgb, alpha], i * 4);
  png.data[0] = seed & 0xff;
  return new Uint8Array(PNG.sync.write(png, { colorType: alpha === 255 ? 2 : 6 }));
}

export interface ImageSpec {
  path: string;
  split: Split | null;
  label: string;
  bytes: Uint8Array;
}

/** `count` images of one class: reddish cats, bluish dogs, and so on by `rgb`. */
export function classImages(split: Split | null, label: string, rgb: [number, number, number], count: number, first = 0): ImageSpec[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `${split === null ? '' : `${split}/`}${label}/${label}.${first + i}.png`,
    split,
    label,
    bytes: pngOf(rgb, first + i + (split === 'validation' ? 100 : 0)),
  }));
}

/** Stores the images and makes them the workspace data set. */
export async function storeWorkspace(store: Store, images: readonly ImageSpec[]): Promise<{ id: string; dataset: Dataset }> {
  const { records } = await store.putBlobs(images.map((image) => image.bytes));
  const entries: DatasetEntry[] = images.map(({ path, split, label }, i) => {
    const { sha256, md5, size } = records[i]!;
    return { path, sha256, md5, size, split, label };
  });
  return writeWorkspace(store, entries);
}

export const TRAIN_PARAMS: TrainParams = { ...DEFAULT_PARAMS, imageSize: 22, epochs: 1, batchSize: 4, learningRate: 0.0005, seed: 7 };

export const HISTORY: HistoryRow[] = [{ epoch: 0, accuracy: 0.5, loss: 0.6931, val_accuracy: 0.5, val_loss: 0.6929 }];

const runInfo = (classNames: string[]): RunInfo => ({
  backend: 'cpu',
  adapter: 'cpu',
  appVersion: '0.1.0',
  seed: TRAIN_PARAMS.seed,
  durationMs: 1,
  imagesPerSecond: 1,
  stopped: false,
  heldOut: false,
  classNames,
  evaluation: { confusion: [[3, 0], [0, 3]], perClass: [], accuracy: 1, worst: [] },
  deterministic: true,
});

/** Saves a reference convnet (untrained: its seeded initial weights) as the last run on the workspace and commits it. */
export async function commitModelVersion(store: Store, datasetId: string, classNames: string[]): Promise<{ versionId: string; model: tf.LayersModel }> {
  const model = buildReferenceConvnet({ imageSize: TRAIN_PARAMS.imageSize, classes: classNames.length, seed: TRAIN_PARAMS.seed });
  await saveRun(store, { model, datasetId, parent: null, params: TRAIN_PARAMS, history: HISTORY, run: runInfo(classNames) });
  const { id } = await commitVersion(store, { message: 'First model, trained with 12 images', tag: 'v1.0' });
  return { versionId: id, model };
}

/** The tutorial's layout in miniature: 2 classes × (6 train + 3 validation) 24×24 PNGs, one with a non-ASCII name and one RGBA. */
export function tutorialImages(): ImageSpec[] {
  return [
    ...classImages('train', 'cats', [200, 40, 40], 5),
    { path: 'train/cats/chat-été.png', split: 'train', label: 'cats', bytes: pngOf([210, 50, 30], 50, { alpha: 128 }) },
    ...classImages('validation', 'cats', [190, 50, 50], 3),
    ...classImages('train', 'dogs', [40, 40, 200], 6),
    ...classImages('validation', 'dogs', [50, 50, 190], 3),
  ];
}
