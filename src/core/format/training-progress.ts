import type { ExtractProgress } from '../features/extract-features';
import type { BatchProgress } from '../train/train';
import { formatDuration, groupDigits } from './numbers';

/** A progress bar's fraction and its line of text. */
export interface ProgressView {
  fraction: number;
  text: string;
}

/** "120 / 1 800 images · 9 images/s · about 3 min 20 s left" while bottleneck features are computed. */
export function describeExtraction({ done, total, elapsedMs }: ExtractProgress): ProgressView {
  const seconds = elapsedMs / 1000;
  const imagesPerSecond = done / Math.max(seconds, 0.001);
  const remaining = (total - done) / Math.max(imagesPerSecond, 0.001);
  return {
    fraction: done / total,
    text: `${groupDigits(done)} / ${groupDigits(total)} images · ${groupDigits(imagesPerSecond)} images/s · about ${formatDuration(remaining)} left`,
  };
}

/** "Epoch 2 / 5 · batch 3 / 32 · 115 images/s · about 10 s left" while training. */
export function describeTraining(progress: BatchProgress, epochs: number): ProgressView {
  const totalBatches = progress.batches * epochs;
  const done = progress.epoch * progress.batches + progress.batch + 1;
  const seconds = progress.elapsedMs / 1000;
  const imagesPerSecond = progress.images / Math.max(seconds, 0.001);
  const remaining = (seconds / done) * (totalBatches - done);
  return {
    fraction: done / totalBatches,
    text: `Epoch ${progress.epoch + 1} / ${epochs} · batch ${progress.batch + 1} / ${progress.batches} · ${groupDigits(imagesPerSecond)} images/s · about ${formatDuration(remaining)} left`,
  };
}
