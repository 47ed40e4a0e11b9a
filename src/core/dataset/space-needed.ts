import { formatBytes } from '../format/bytes';

/** About what IndexedDB keeps per stored file besides its bytes (its record in a group, the index entry). */
const RECORD_BYTES = 200;

export interface SpaceNeeded {
  /** The files' bytes and records: all of them, as which are already stored is known only once hashed. */
  files: number;
  /** The decoded images the check keeps (size × size × 3 bytes each). */
  decoded: number;
  total: number;
}

/** The most an import of `files` files (`bytes` in all) can add to the browser's storage, checked at `imageSize`. */
export function importSpaceNeeded(files: number, bytes: number, imageSize: number): SpaceNeeded {
  const stored = bytes + files * RECORD_BYTES;
  const decoded = files * imageSize * imageSize * 3;
  return { files: stored, decoded, total: stored + decoded };
}

/**
 * A warning when the import may not fit in what the browser says is left
 * (navigator.storage.estimate()), or null. Only a warning: dedup may store
 * less, and the browser's figure is an estimate; if a write does fail, the
 * import says what was and was not saved.
 */
export function spaceWarning(needed: SpaceNeeded, estimate: { usage?: number; quota?: number }): string | null {
  if (estimate.quota === undefined || estimate.usage === undefined) return null;
  const free = Math.max(0, estimate.quota - estimate.usage);
  if (needed.total <= free) return null;
  const fits = needed.files <= free;
  return (
    `This import may need up to ${formatBytes(needed.total)} (files ${formatBytes(needed.files)}, decoded images ${formatBytes(needed.decoded)}), ` +
    `and the browser lets this site store about ${formatBytes(free)} more. ` +
    (fits
      ? 'The files fit, but their decoded copies may not be kept: training would decode them again each time.'
      : 'It may fail part-way; nothing would be added then, and what it stored would be removed again.') +
    ' Free space with Clean up (under Storage) or by deleting versions, or allow this site more storage.'
  );
}

/** A warning when a pull's files may not fit in what the browser says is left, or null. */
export function pullSpaceWarning(bytes: number, estimate: { usage?: number; quota?: number }): string | null {
  if (estimate.quota === undefined || estimate.usage === undefined) return null;
  const free = Math.max(0, estimate.quota - estimate.usage);
  if (bytes + bytes / 100 <= free) return null;
  return (
    `This pull fetches ${formatBytes(bytes)} of files, and the browser lets this site store about ${formatBytes(free)} more: it may fail, and then nothing is added. ` +
    'Free space with Clean up (under Storage) or by deleting versions, or allow this site more storage.'
  );
}
