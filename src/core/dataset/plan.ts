import { inferPlacement, type Placement } from './placement';
import { screenFile, type IngestInput } from './screen-file';
import type { SniffedImage } from './sniff';
import type { PathWithReason } from './types';

export interface AcceptedFile extends Omit<Placement, 'path'>, SniffedImage {
  /** The path as given in the input (before normalisation). */
  path: string;
  /** Bytes, as given in the input. */
  size: number;
}

export interface IngestPlan {
  /** The tracked folder's name ("data" in the tutorial). */
  root: string;
  accepted: AcceptedFile[];
  /** OS metadata and hidden files: counted, not stored. */
  ignored: PathWithReason[];
  /** Files that cannot be stored, with the reason. */
  rejected: PathWithReason[];
  /** Accepted files whose content and name disagree (a PNG named .jpg). */
  warnings: PathWithReason[];
  /** Original paths of accepted files without a label: the user is asked. */
  needsLabel: string[];
}

/**
 * Sorts a drop of files or zip entries into accepted (with relpath, split,
 * label and pixel size), ignored and rejected, from headers only: no hashing
 * and no decoding happen here.
 */
export function planIngest(files: readonly IngestInput[], options: { signal?: AbortSignal } = {}): IngestPlan {
  const setAside: Pick<IngestPlan, 'ignored' | 'rejected'> = { ignored: [], rejected: [] };
  const warnings: PathWithReason[] = [];
  const candidates: { file: IngestInput; path: string; image: SniffedImage }[] = [];
  const seenPaths = new Set<string>();
  for (const file of files) {
    options.signal?.throwIfAborted();
    const verdict = screenFile(file);
    if (verdict.status !== 'accepted') {
      setAside[verdict.status].push({ path: file.path, reason: verdict.reason });
    } else if (seenPaths.has(verdict.path)) {
      // Different spellings (NFD and NFC, "\" and "/") can normalise to one path.
      setAside.rejected.push({ path: file.path, reason: 'another file in this drop has the same path' });
    } else {
      seenPaths.add(verdict.path);
      candidates.push({ file, path: verdict.path, image: verdict.image });
      if (verdict.warning) warnings.push({ path: file.path, reason: verdict.warning });
    }
  }
  const { root, placements } = inferPlacement(candidates.map((candidate) => candidate.path));
  const accepted = placements.map((placement, index): AcceptedFile => {
    const { file, image } = candidates[index]!;
    return { ...placement, path: file.path, ...image, size: file.size };
  });
  const needsLabel = accepted.filter((file) => file.label === null).map((file) => file.path);
  return { root, accepted, ...setAside, warnings, needsLabel };
}
