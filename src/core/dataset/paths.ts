import { MAX_PATH_BYTES } from './limits';

export type PathProblem = 'empty' | 'nul' | 'absolute' | 'parent' | 'empty-segment' | 'too-long';

/** A file path that cannot be stored as given; `message` is a reason the user can read. */
export class PathError extends Error {
  override readonly name = 'PathError';
  constructor(
    readonly path: string,
    readonly problem: PathProblem,
    message: string,
  ) {
    super(message);
  }
}

const utf8 = new TextEncoder();

/**
 * The canonical form of a dropped or zipped file's path: "/"-separated
 * (backslashes count as separators), NFC, without "." segments. Throws
 * PathError for anything that could escape the tracked folder or that DVC
 * could not store.
 */
export function normalizeEntryPath(raw: string): string {
  const fail = (problem: PathProblem, message: string): never => {
    throw new PathError(raw, problem, message);
  };
  if (raw.includes('\0')) fail('nul', 'path contains a NUL character');
  const slashed = raw.normalize('NFC').replaceAll('\\', '/');
  // "/x", "\\server\share" (now "//server/share") and drive paths "C:\x", "C:x".
  if (slashed.startsWith('/') || /^[A-Za-z]:/.test(slashed)) {
    fail('absolute', 'path is absolute (only paths inside the folder are allowed)');
  }
  const segments = slashed.split('/').filter((segment) => segment !== '.');
  if (segments.every((segment) => segment === '')) fail('empty', 'path is empty');
  if (segments.includes('..')) fail('parent', 'path contains ".." (it would leave its folder)');
  if (segments.includes('')) fail('empty-segment', 'path has an empty folder name ("//" or a trailing "/")');
  const path = segments.join('/');
  const bytes = utf8.encode(path).length;
  if (bytes > MAX_PATH_BYTES) {
    fail('too-long', `path is too long (${bytes} bytes; the limit is ${MAX_PATH_BYTES})`);
  }
  return path;
}
