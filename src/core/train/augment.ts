import type { Augmentation, Random } from './types';

/** Largest shift in pixels: 10 % of the side, rounded (1 px at 8 px, 6 px at 64 px, 15 px at 150 px). */
export function maxShift(size: number): number {
  return Math.round(size * 0.1);
}

/**
 * Copies one size×size RGB image from `source` to `target`, mirrored and/or
 * shifted as the augmentation and the generator decide. Draws happen in a fixed
 * order (flip, then dx, then dy, each only when enabled) so a seed replays
 * exactly. Pixels shifted in from outside repeat the nearest edge pixel
 * (Keras' fill_mode "nearest") rather than inventing a colour.
 */
export function augmentImage(
  source: Uint8Array,
  target: Uint8Array,
  size: number,
  augment: Augmentation,
  random: Random,
): void {
  const flip = augment.flip && random() < 0.5;
  const limit = augment.shift ? maxShift(size) : 0;
  const dx = augment.shift ? Math.floor(random() * (2 * limit + 1)) - limit : 0;
  const dy = augment.shift ? Math.floor(random() * (2 * limit + 1)) - limit : 0;
  const clamp = (v: number) => Math.min(size - 1, Math.max(0, v));
  for (let y = 0; y < size; y++) {
    const sourceRow = clamp(y - dy) * size;
    for (let x = 0; x < size; x++) {
      const shifted = clamp(x - dx);
      const from = (sourceRow + (flip ? size - 1 - shifted : shifted)) * 3;
      const to = (y * size + x) * 3;
      target[to] = source[from]!;
      target[to + 1] = source[from + 1]!;
      target[to + 2] = source[from + 2]!;
    }
  }
}
