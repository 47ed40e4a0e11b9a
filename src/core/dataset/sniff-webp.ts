import type { ImageSize } from './types';

function fourCC(view: DataView, offset: number): string {
  return String.fromCharCode(...[0, 1, 2, 3].map((i) => view.getUint8(offset + i)));
}

function uint24(view: DataView, offset: number): number {
  return view.getUint16(offset, true) | (view.getUint8(offset + 2) << 16);
}

/** Reads the canvas size of a RIFF/WEBP file from its first chunk (VP8, VP8L or VP8X). */
export function webpSize(view: DataView): ImageSize | null {
  const chunk = fourCC(view, 12);
  const payload = 20;
  if (chunk === 'VP8 ') {
    // Key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit sizes.
    const startCode = uint24(view, payload + 3);
    if (startCode !== 0x2a019d) return null;
    return {
      width: view.getUint16(payload + 6, true) & 0x3fff,
      height: view.getUint16(payload + 8, true) & 0x3fff,
    };
  }
  if (chunk === 'VP8L') {
    if (view.getUint8(payload) !== 0x2f) return null;
    const bits = view.getUint32(payload + 1, true);
    return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
  }
  if (chunk === 'VP8X') {
    return { width: uint24(view, payload + 4) + 1, height: uint24(view, payload + 7) + 1 };
  }
  return null;
}
