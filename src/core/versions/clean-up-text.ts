import { formatBytes } from '../format/bytes';
import { countOf } from '../format/numbers';
import type { CleanUpResult, UnreachableSummary } from '../store';

/** "7.4 MB in 14 089 files, 2 pack files and 3 cached values": what unreachable bytes are made of. */
function parts(files: number, packs: number, cached: number, records: number): string {
  const listed = [
    files > 0 && countOf(files, 'file'),
    packs > 0 && countOf(packs, 'pack file'),
    cached > 0 && countOf(cached, 'cached value'),
    records > 0 && countOf(records, 'record'),
  ].filter((part): part is string => typeof part === 'string');
  return listed.length <= 1 ? (listed[0] ?? 'leftover bytes') : `${listed.slice(0, -1).join(', ')} and ${listed.at(-1)}`;
}

/** What Verify and the start-up check say about unreachable bytes; null when there are none. */
export function describeUnreachable(found: UnreachableSummary): string | null {
  if (found.bytes === 0) return null;
  return (
    `${formatBytes(found.bytes)} (${parts(found.blobs, found.packFiles, found.derivedEntries, found.objects)}) is used by no version, workspace, stash or run: ` +
    'left by work that did not finish or was refused, such as an import closed half-way. Clean up frees it.'
  );
}

/** The outcome of Clean up, in a sentence. */
export function describeCleanUp(result: CleanUpResult): string {
  if (result.bytesFreed === 0 && result.packFilesInUse === 0) {
    return 'Nothing to clean up: everything stored is used by a version, the workspace, a stash or the last run.';
  }
  const freed = `Cleaned up: ${formatBytes(result.bytesFreed)} freed (${parts(result.blobsDeleted, result.packFilesDeleted, result.derivedDeleted, result.objectsDeleted)}).`;
  return result.packFilesInUse > 0 ? `${freed} ${countOf(result.packFilesInUse, 'pack file')} still open elsewhere ${result.packFilesInUse === 1 ? 'was' : 'were'} left for next time.` : freed;
}
