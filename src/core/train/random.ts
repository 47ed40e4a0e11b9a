import type { Random } from './types';

/** mulberry32: a tiny 32-bit generator, plenty for shuffles and augmentation, identical on every platform. */
export function mulberry32(seed: number): Random {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What each independent random stream of a run is used for. */
export const STREAMS = { split: 1, shuffle: 2, augment: 3, dropout: 4 } as const;

/**
 * A generator for one purpose of a run. Hashing (seed, stream) rather than
 * adding them keeps seed 42's shuffle from being seed 43's split.
 */
export function streamOf(seed: number, stream: number): Random {
  let h = (seed ^ Math.imul(stream, 0x9e3779b9)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return mulberry32(h ^ (h >>> 16));
}

/** A whole number in [0, 2³²), e.g. a seed for a tfjs op. */
export function randomUint32(random: Random): number {
  return Math.floor(random() * 4294967296);
}

/** Fisher–Yates on a copy: every order equally likely, and the same order for the same generator state. */
export function shuffled<T>(items: readonly T[], random: Random): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
