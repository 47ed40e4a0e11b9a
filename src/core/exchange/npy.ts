import { utf8Bytes } from '../hash/bytes';

/**
 * A float32 matrix as NumPy's .npy (format 1.0, little-endian '<f4', C order):
 * the bytes `numpy.save` writes for it, header padded so the data starts at a
 * multiple of 64, so `numpy.load` reads exactly these values back.
 */
export function npyFloat32(values: Float32Array, shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '<f4', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + dict.length + 1;
  const header = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + values.byteLength);
  out.set([0x93, ...utf8Bytes('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(utf8Bytes(header), 10);
  const data = new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
  // float32 bytes are little-endian on every platform tfjs runs on.
  out.set(data, 10 + header.length);
  return out;
}
