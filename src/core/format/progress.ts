import { formatBytes } from './bytes';
import { formatDuration, groupDigits } from './numbers';

export interface TransferProgress {
  done: number;
  total: number;
  bytes: number;
}

/**
 * "1 234 / 2 800 files · 410 files/s · 9.8 MB/s · about 4 s left" for a progress bar.
 * Without `bytes` (work counted in files only, e.g. decoding), no MB/s is shown.
 */
export function describeProgress(progress: Omit<TransferProgress, 'bytes'> & { bytes?: number }, elapsedMs: number): string {
  const seconds = Math.max(elapsedMs / 1000, 0.001);
  const filesPerSecond = progress.done / seconds;
  const remaining = filesPerSecond > 0 ? (progress.total - progress.done) / filesPerSecond : Infinity;
  return [
    `${groupDigits(progress.done)} / ${groupDigits(progress.total)} files`,
    `${groupDigits(filesPerSecond)} files/s`,
    ...(progress.bytes === undefined ? [] : [`${formatBytes(progress.bytes / seconds)}/s`]),
    progress.done >= progress.total ? 'finishing…' : Number.isFinite(remaining) ? `about ${formatDuration(remaining)} left` : 'estimating…',
  ].join(' · ');
}
