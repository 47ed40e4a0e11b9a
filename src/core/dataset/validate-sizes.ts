import type { Finding, ValidationEntry } from './finding';

/** Longest sides differing by more than this factor is reported as a warning. */
export const MAX_SIZE_SPREAD = 4;

type Sized = ValidationEntry & { width: number; height: number };

const longestSide = (entry: Sized) => Math.max(entry.width, entry.height);
const describe = (entry: Sized) => `${entry.width}×${entry.height} ("${entry.path}")`;

/** The spread of image sizes: a warning when it is wide, otherwise the range as info. */
export function sizeFindings(entries: readonly ValidationEntry[]): Finding[] {
  const sized = entries.filter((entry): entry is Sized => entry.width !== undefined && entry.height !== undefined);
  if (sized.length === 0) return [];
  const smallest = sized.reduce((a, b) => (longestSide(b) < longestSide(a) ? b : a));
  const largest = sized.reduce((a, b) => (longestSide(b) > longestSide(a) ? b : a));
  const paths = [...new Set([smallest.path, largest.path])];
  if (longestSide(largest) > MAX_SIZE_SPREAD * longestSide(smallest)) {
    return [
      {
        kind: 'size-spread',
        severity: 'warning',
        message:
          `Image sizes vary a lot, from ${describe(smallest)} to ${describe(largest)}. Every image is resized ` +
          'to the training size, so small ones get blurry and large ones lose detail; keeping them is usually fine.',
        paths,
        fix: 'keep',
      },
    ];
  }
  const message =
    smallest === largest
      ? `All images have a longest side of ${longestSide(smallest)} pixels.`
      : `Image sizes range from ${describe(smallest)} to ${describe(largest)}.`;
  return [{ kind: 'size-spread', severity: 'info', message, paths, fix: null }];
}
