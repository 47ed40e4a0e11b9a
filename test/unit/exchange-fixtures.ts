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

const runInfo = (classNames: string[], confusion: number[][]): RunInfo => ({
  backend: 'cpu',
  adapter: 'cpu',
  appVersion: '0.1.0',
  seed: TRAIN_PARAMS.seed,
  durationMs: 1,
  imagesPerSecond: 1,
  stopped: false,
  heldOut: false,
  classNames,
  evaluation: { confusion, perClass: [], accuracy: 1, worst: [] },
  deterministic: true,
});

/**
 * Saves a reference convnet (untrained: its seeded initial weights) as the last run on the workspace and commits it.
 * With `validation`, the run records the model's confusion matrix on those images, as the page's evaluation does.
 */
export async function commitModelVersion(
  store: Store,
  datasetId: string,
  classNames: string[],
  validation?: readonly ImageSpec[],
): Promise<{ versionId: string; model: tf.LayersModel }> {
  const model = buildReferenceConvnet({ imageSize: TRAIN_PARAMS.imageSize, classes: classNames.length, seed: TRAIN_PARAMS.seed });
  const confusion = validation ? confusionOn(model, validation, classNames) : [[3, 0], [0, 3]];
  await saveRun(store, { model, datasetId, parent: null, params: TRAIN_PARAMS, history: HISTORY, run: runInfo(classNames, confusion) });
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

/** confusion[true][predicted] of `model` on PNG images decoded by pngjs, squashed to the model's size (bilinear), RGB in [0, 1]. */
function confusionOn(model: tf.LayersModel, images: readonly ImageSpec[], classNames: string[]): number[][] {
  const confusion = classNames.map(() => classNames.map(() => 0));
  for (const image of images) {
    const png = PNG.sync.read(Buffer.from(image.bytes));
    const predicted = tf.tidy(() => {
      const rgb = tf.tensor3d(new Int32Array(png.data), [png.height, png.width, 4], 'int32').slice([0, 0, 0], [-1, -1, 3]).toFloat().div(255) as tf.Tensor3D;
      const batch = tf.image.resizeBilinear(rgb, [TRAIN_PARAMS.imageSize, TRAIN_PARAMS.imageSize]).expandDims(0);
      return (model.predict(batch) as tf.Tensor).argMax(1).dataSync()[0]!;
    });
    confusion[classNames.indexOf(image.label)]![predicted]! += 1;
  }
  return confusion;
}
