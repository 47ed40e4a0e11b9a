import type { ImageType } from './types';

// Files that operating systems and archivers add beside the user's data. They
// are skipped and counted, never stored. (Maps: a file may be called "constructor".)
const OS_FILES = new Map([
  ['.ds_store', 'macOS metadata'],
  ['thumbs.db', 'Windows thumbnail cache'],
  ['desktop.ini', 'Windows folder settings'],
]);

/** Why `path` is skipped without being reported as a problem, or null to keep it. */
export function ignoredReason(path: string): string | null {
  const segments = path.split(/[\\/]/).filter((segment) => segment !== '' && segment !== '.');
  const name = segments.at(-1) ?? '';
  if (segments.some((segment) => segment === '__MACOSX')) return 'macOS metadata';
  const osFile = OS_FILES.get(name.toLowerCase());
  if (osFile) return osFile;
  // "._name" files are AppleDouble resource forks written by macOS.
  if (name.startsWith('._')) return 'macOS metadata';
  if (name.startsWith('.')) return 'hidden file';
  if (segments.slice(0, -1).some((segment) => segment.startsWith('.') && segment !== '..')) {
    return 'inside a hidden folder';
  }
  return null;
}

const TYPE_BY_EXTENSION = new Map<string, ImageType>([
  ['jpg', 'image/jpeg'],
  ['jpeg', 'image/jpeg'],
  ['png', 'image/png'],
  ['webp', 'image/webp'],
  ['gif', 'image/gif'],
  ['bmp', 'image/bmp'],
]);

/** The image type a file's extension promises (any case), or null. */
export function imageTypeOf(path: string): ImageType | null {
  const name = path.split(/[\\/]/).at(-1) ?? '';
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return null;
  return TYPE_BY_EXTENSION.get(name.slice(dot + 1).toLowerCase()) ?? null;
}
