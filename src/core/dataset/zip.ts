import { createPacer } from './pacer';
import type { PathWithReason } from './types';
import { readZipDirectory } from './zip-directory';
import { extractZipEntry } from './zip-extract';
import { screenZipEntries } from './zip-screen';

export const DEFAULT_MAX_ZIP_TOTAL_BYTES = 4 * 1024 ** 3;
export const DEFAULT_MAX_ZIP_RATIO = 100;

export interface ZipProgress {
  /** The entry just extracted (normalised path). */
  path: string;
  done: number;
  total: number;
}

export interface ReadZipOptions {
  signal?: AbortSignal;
  /** Refuse a zip whose files would expand beyond this many bytes (default 4 GiB)… */
  maxTotalBytes?: number;
  /** …or beyond this multiple of the zip's own size (default 100). */
  maxRatio?: number;
  onEntry?: (progress: ZipProgress) => void;
}

export interface ZipContents {
  /** Extracted files, paths normalised, in the zip's order. */
  files: { path: string; bytes: Uint8Array }[];
  /** OS metadata and hidden files, not extracted. */
  ignored: PathWithReason[];
}

/**
 * Extracts a zip's files after checking its whole directory; throws ZipError
 * (nothing is returned) when any part of it is unsafe, encrypted, damaged or
 * too large.
 */
export async function readZip(bytes: Uint8Array, options: ReadZipOptions = {}): Promise<ZipContents> {
  const { signal, onEntry } = options;
  signal?.throwIfAborted();
  const { extract, ignored } = screenZipEntries(readZipDirectory(bytes), bytes.length, {
    maxTotalBytes: options.maxTotalBytes ?? DEFAULT_MAX_ZIP_TOTAL_BYTES,
    maxRatio: options.maxRatio ?? DEFAULT_MAX_ZIP_RATIO,
  });
  const pace = createPacer();
  const files: ZipContents['files'] = [];
  for (const { entry, path } of extract) {
    await pace();
    signal?.throwIfAborted();
    files.push({ path, bytes: extractZipEntry(bytes, entry) });
    onEntry?.({ path, done: files.length, total: extract.length });
  }
  return { files, ignored };
}
