import type { Dataset } from '../objects/types';
import type { PixelCache } from '../preprocess/pixels';
import type { Finding } from './finding';
import { validationReport } from './validation-report';

/** The validation report of a data set, with decode results and sizes from its pixel cache. */
export function checkDataset(dataset: Dataset, pixels: PixelCache): Finding[] {
  const sizes = new Map(pixels.sha256.map((sha, index) => [sha, pixels.originalSizes[index]!]));
  const failures = new Map(pixels.failures.map((failure) => [failure.sha256, failure.reason]));
  return validationReport(
    dataset.entries.map((entry) => {
      const size = sizes.get(entry.sha256);
      const decodeError = failures.get(entry.sha256);
      return {
        ...entry,
        ...(size ? { width: size[0], height: size[1] } : {}),
        ...(decodeError !== undefined ? { decodeError } : {}),
      };
    }),
  );
}
