import { SvelteMap } from 'svelte/reactivity';
import type { CorrectLabelInput } from '../core/feedback/correct-label';
import { datasetWorker } from './workers';

/** An image to correct: stored already (by sha256), or a picked file (Classify an image). */
export type FeedbackImage = { sha256: string } | { file: File };

/** "Correct label" wherever a prediction is shown: each correction and what came of it, per image. */
export class FeedbackState {
  /** Image key (sha256, or the picked file's name) → "Added to train/cats as feedback." */
  readonly done = new SvelteMap<string, string>();
  /** Image key → why it was refused. */
  readonly failed = new SvelteMap<string, string>();

  constructor(
    /** Re-reads the workspace and the status line after a correction. */
    private readonly changed: () => Promise<void>,
  ) {}

  async correct(key: string, image: FeedbackImage, input: Omit<CorrectLabelInput, 'sha256'>): Promise<void> {
    this.failed.delete(key);
    try {
      const corrected = await datasetWorker.correctLabel({ ...input, ...image });
      this.done.set(key, `${corrected.added ? 'Added to' : 'Moved to'} ${corrected.path} as feedback (${corrected.pending} in the workspace, not committed).`);
      await this.changed();
    } catch (error) {
      this.failed.set(key, `Not added: ${(error as Error).message}`);
    }
  }
}
