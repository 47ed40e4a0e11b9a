// Minimal PNG encoder. Deflate is fflate's (pure JS), so the bytes are the same on
// every machine (Node's zlib may compress differently depending on CPU features).
import { zlibSync } from 'fflate';

const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

/** @param {Uint8Array} bytes @param {number} start @param {number} end */
function crc32(bytes, start, end) {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = /** @type {number} */ (CRC_TABLE[(c ^ /** @type {number} */ (bytes[i])) & 0xff]) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * @param {string} type four ASCII letters
 * @param {Uint8Array} data
 */
function chunk(type, data) {
  const out = new Uint8Array(12 + data.length);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.length);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.length, crc32(out, 4, 8 + data.length));
  return out;
}

const COLOR_TYPE = /** @type {Record<number, number>} */ ({ 1: 0, 2: 4, 3: 2, 4: 6 });

/**
 * Encode 8-bit pixels as PNG. channels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
 * Every row uses filter 0 (none) for grey and filter 1 (sub) otherwise.
 * @param {number} width
 * @param {number} height
 * @param {1|2|3|4} channels
 * @param {Uint8Array} pixels width*height*channels bytes, row-major
 * @returns {Uint8Array}
 */
export function encodePng(width, height, channels, pixels) {
  const stride = width * channels;
  if (pixels.length !== stride * height) throw new Error('encodePng: pixel buffer has the wrong size');
  const filter = channels === 1 ? 0 : 1;
  const raw = new Uint8Array((stride + 1) * height);
  for (let y = 0; y < height; y++) {
    const o = y * (stride + 1);
    const row = y * stride;
    raw[o] = filter;
    for (let x = 0; x < stride; x++) {
      const v = /** @type {number} */ (pixels[row + x]);
      raw[o + 1 + x] = filter === 1 && x >= channels ? (v - /** @type {number} */ (pixels[row + x - channels])) & 0xff : v;
    }
  }
  const ihdr = new Uint8Array(13);
  const view = new DataView(ihdr.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  ihdr[8] = 8; // bit depth
  ihdr[9] = /** @type {number} */ (COLOR_TYPE[channels]);
  // compression 0, filter method 0, no interlace
  const parts = [
    new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlibSync(raw, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ];
  return concat(parts);
}

/** @param {Uint8Array[]} parts */
export function concat(parts) {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}
