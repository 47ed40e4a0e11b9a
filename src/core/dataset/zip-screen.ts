import { formatBytes } from '../format/bytes';
import { ignoredReason } from './ignore';
import { normalizeEntryPath, PathError } from './paths';
import type { PathWithReason } from './types';
import type { ZipDirectoryEntry } from './zip-directory';
import { ZipError } from './zip-error';

export interface ZipLimits {
  maxTotalBytes: number;
  maxRatio: number;
}

export interface ScreenedZip {
  /** Entries to extract, with their normalised paths. */
  extract: { entry: ZipDirectoryEntry; path: string }[];
  ignored: PathWithReason[];
}

const SUPPORTED_METHODS = new Set([0, 8]); // stored, deflate

function entryPath(entry: ZipDirectoryEntry, isDirectory: boolean): string {
  try {
    return normalizeEntryPath(isDirectory ? entry.name.replace(/[\\/]+$/, '') : entry.name);
  } catch (error) {
    if (!(error instanceof PathError)) throw error;
    const unsafe = error.problem === 'absolute' || error.problem === 'parent' || error.problem === 'nul';
    const problem = unsafe ? 'unsafe-path' : 'unsupported';
    throw new ZipError(problem, `The zip entry "${entry.name}" was refused: ${error.message}.`, entry.name);
  }
}

function checkTotal(extract: ScreenedZip['extract'], zipSize: number, limits: ZipLimits): void {
  const total = extract.reduce((sum, { entry }) => sum + entry.size, 0);
  const limit = Math.min(limits.maxTotalBytes, limits.maxRatio * zipSize);
  if (total <= limit) return;
  const largest = extract.reduce((a, b) => (b.entry.size > a.entry.size ? b : a)).entry;
  throw new ZipError(
    'too-large',
    `This zip would expand to ${formatBytes(total)}, more than the allowed ${formatBytes(limit)} ` +
      `(${limits.maxRatio}× its size, at most ${formatBytes(limits.maxTotalBytes)}); ` +
      `its largest entry "${largest.name}" alone is ${formatBytes(largest.size)}. It looks like a zip bomb.`,
    largest.name,
  );
}

/**
 * Decides, from the central directory alone, what to extract and whether to
 * refuse the zip (unsafe paths, encryption, unsupported compression, a
 * declared size over the bound) before a single byte is inflated.
 */
export function screenZipEntries(entries: readonly ZipDirectoryEntry[], zipSize: number, limits: ZipLimits): ScreenedZip {
  const screened: ScreenedZip = { extract: [], ignored: [] };
  for (const entry of entries) {
    const isDirectory = /[\\/]$/.test(entry.name);
    const path = entryPath(entry, isDirectory);
    if (entry.flags & 1) {
      throw new ZipError(
        'encrypted',
        `The zip entry "${entry.name}" is encrypted (password-protected); Pawprint cannot read encrypted zips. Re-create the zip without a password.`,
        entry.name,
      );
    }
    if (isDirectory) continue;
    const reason = ignoredReason(path);
    if (reason) {
      screened.ignored.push({ path, reason });
      continue;
    }
    if (!SUPPORTED_METHODS.has(entry.method)) {
      throw new ZipError(
        'unsupported',
        `The zip entry "${entry.name}" uses compression method ${entry.method}, which is not supported; re-create the zip with standard (deflate) compression.`,
        entry.name,
      );
    }
    screened.extract.push({ entry, path });
  }
  checkTotal(screened.extract, zipSize, limits);
  return screened;
}
