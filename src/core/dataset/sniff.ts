import type { ImageSize, ImageType } from './types';
import { jpegSize } from './sniff-jpeg';
import { webpSize } from './sniff-webp';

export interface SniffedImage extends ImageSize {
  type: ImageType;
}

/**
 * How many leading bytes to pass to `sniffImage`: JPEG EXIF and ICC segments
 * can precede the frame header by up to a few hundred KiB. Pass the whole file
 * when it is already in memory.
 */
export const SNIFF_HEAD_BYTES = 256 * 1024;

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
// BITMAPCOREHEADER, OS/2 v2 and BITMAPINFOHEADER…V5 sizes: "BM" alone is too
// weak a signature (plain text can start with it).
const BMP_HEADER_SIZES = new Set([12, 16, 40, 52, 56, 64, 108, 124]);

function startsWith(head: Uint8Array, bytes: readonly number[], offset = 0): boolean {
  return bytes.every((byte, i) => head[offset + i] === byte);
}

function ascii(text: string): number[] {
  return [...text].map((char) => char.charCodeAt(0));
}

function view(head: Uint8Array): DataView {
  return new DataView(head.buffer, head.byteOffset, head.byteLength);
}

/** The image type the file's content shows (magic bytes), whatever its name says. */
export function imageTypeBySignature(head: Uint8Array): ImageType | null {
  if (startsWith(head, PNG_SIGNATURE)) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('BM')) && head.length >= 18 && BMP_HEADER_SIZES.has(view(head).getUint32(14, true))) {
    return 'image/bmp';
  }
  return null;
}

function pngSize(data: DataView): ImageSize | null {
  if (data.getUint32(12) !== 0x49484452) return null; // first chunk must be "IHDR"
  return { width: data.getUint32(16), height: data.getUint32(20) };
}

function bmpSize(data: DataView): ImageSize {
  if (data.getUint32(14, true) === 12) {
    return { width: data.getUint16(18, true), height: data.getUint16(20, true) };
  }
  // A negative height marks a top-down bitmap.
  return { width: data.getInt32(18, true), height: Math.abs(data.getInt32(22, true)) };
}

function sizeOf(type: ImageType, data: DataView): ImageSize | null {
  switch (type) {
    case 'image/png':
      return pngSize(data);
    case 'image/jpeg':
      return jpegSize(data);
    case 'image/gif':
      return { width: data.getUint16(6, true), height: data.getUint16(8, true) };
    case 'image/bmp':
      return bmpSize(data);
    case 'image/webp':
      return webpSize(data);
  }
}

/**
 * Type and pixel size from the file header, without decoding. Null when the
 * content is not a supported image or its header is cut short or damaged.
 */
export function sniffImage(head: Uint8Array): SniffedImage | null {
  const type = imageTypeBySignature(head);
  if (!type) return null;
  let size: ImageSize | null;
  try {
    size = sizeOf(type, view(head));
  } catch (error) {
    if (error instanceof RangeError) return null; // header shorter than its format needs
    throw error;
  }
  if (!size || size.width <= 0 || size.height <= 0) return null;
  return { type, width: size.width, height: size.height };
}
