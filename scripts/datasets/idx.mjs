// IDX reader (the MNIST / Fashion-MNIST file format), gzip-compressed.
// Layout: 0x00 0x00 <type byte> <ndims>, then ndims big-endian uint32 sizes, then data.
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';

/**
 * @typedef {{ dims: number[], data: Uint8Array }} IdxArray
 */

/**
 * Read an unsigned-byte IDX file (type 0x08), gzip-compressed or not.
 * @param {string} path
 * @returns {IdxArray}
 */
export function readIdx(path) {
  let buf = readFileSync(path);
  if (buf[0] === 0x1f && buf[1] === 0x8b) buf = gunzipSync(buf);
  if (buf[0] !== 0 || buf[1] !== 0) throw new Error(`${path}: not an IDX file (bad magic)`);
  if (buf[2] !== 0x08) throw new Error(`${path}: IDX type 0x${buf[2]?.toString(16)} is not unsigned byte`);
  const ndims = /** @type {number} */ (buf[3]);
  const dims = [];
  for (let i = 0; i < ndims; i++) dims.push(buf.readUInt32BE(4 + 4 * i));
  const offset = 4 + 4 * ndims;
  const expected = dims.reduce((a, b) => a * b, 1);
  if (buf.length - offset !== expected) {
    throw new Error(`${path}: IDX holds ${buf.length - offset} bytes, dims ${dims.join('×')} need ${expected}`);
  }
  return { dims, data: new Uint8Array(buf.buffer, buf.byteOffset + offset, expected) };
}
