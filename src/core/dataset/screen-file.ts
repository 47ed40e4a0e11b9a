import { imageTypeName } from './wording';
import { ignoredReason, imageTypeOf } from './ignore';
import { oversizeReason } from './limits';
import { normalizeEntryPath, PathError } from './paths';
import { imageTypeBySignature, sniffImage, type SniffedImage } from './sniff';

export interface IngestInput {
  /** As dropped or as named in the zip. */
  path: string;
  size: number;
  /** The first SNIFF_HEAD_BYTES of the file (or all of it). */
  head: Uint8Array;
}

export type FileVerdict =
  | { status: 'ignored' | 'rejected'; reason: string }
  | { status: 'accepted'; path: string; image: SniffedImage; warning: string | null };

// The image is judged by its content; the extension only shapes the messages.
function judgeContent(path: string, head: Uint8Array): FileVerdict {
  const named = imageTypeOf(path);
  const type = imageTypeBySignature(head);
  if (!type) {
    return {
      status: 'rejected',
      reason: named
        ? `not an image: named like a ${imageTypeName(named)} but its contents are not an image`
        : 'not an image (only JPEG, PNG, WebP, GIF and BMP images are accepted)',
    };
  }
  const image = sniffImage(head);
  if (!image) {
    return { status: 'rejected', reason: `damaged ${imageTypeName(type)}: its header is incomplete or unreadable` };
  }
  const oversize = oversizeReason(image.width, image.height);
  if (oversize) return { status: 'rejected', reason: oversize };
  const actual = imageTypeName(type);
  const warning =
    named === type
      ? null
      : `${named ? `named like a ${imageTypeName(named)}` : 'has no image extension'} but is a ${actual}; accepted as ${actual}`;
  return { status: 'accepted', path, image, warning };
}

/** Decides one dropped file's fate from its path, size and header bytes alone. */
export function screenFile(file: IngestInput): FileVerdict {
  let path: string;
  try {
    path = normalizeEntryPath(file.path);
  } catch (error) {
    if (error instanceof PathError) return { status: 'rejected', reason: error.message };
    throw error;
  }
  const ignored = ignoredReason(path);
  if (ignored) return { status: 'ignored', reason: ignored };
  if (file.size === 0) return { status: 'rejected', reason: 'empty file (0 bytes)' };
  return judgeContent(path, file.head);
}
