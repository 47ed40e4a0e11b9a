// JPEG encoding with jpeg-js, reusing one encoder. jpeg-js's encode() builds a new
// encoder (Huffman and colour tables) per call, which costs about as much as encoding
// a 300×300 image; the encoder's own encode(image, quality) resets the quality, so one
// instance serves every call. jpeg-js does not export the class, so it is taken from
// the module source; if that ever fails, jpeg-js's encode() gives the same bytes.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import jpeg from 'jpeg-js';

/** @type {{ encode: (image: { data: Uint8Array, width: number, height: number }, quality: number) => ArrayLike<number> } | null} */
let encoder = null;
try {
  const path = createRequire(import.meta.url).resolve('jpeg-js/lib/encoder.js');
  const JPEGEncoder = new Function('module', `${readFileSync(path, 'utf8')}\nreturn JPEGEncoder;`)(undefined);
  encoder = new JPEGEncoder(90);
} catch {
  encoder = null;
}

/**
 * Baseline JPEG (4:4:4) of 8-bit RGBA pixels (alpha ignored).
 * @param {Uint8Array} rgba
 * @param {number} width
 * @param {number} height
 * @param {number} quality 1–100
 * @returns {Uint8Array}
 */
export function encodeJpeg(rgba, width, height, quality) {
  const image = { data: rgba, width, height };
  return Uint8Array.from(encoder ? encoder.encode(image, quality) : jpeg.encode(image, quality).data);
}
