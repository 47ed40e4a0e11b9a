import { utf8Bytes } from '../hash/bytes';

/**
 * A float32 array as NumPy's .npy (format 1.0, little-endian '<f4', C order):
 * the bytes `numpy.save` writes for it, so `numpy.load` reads exactly these
 * values back.
 */
export function npyFloat32(values: Float32Array, shape: readonly number[]): Uint8Array {
  // float32 bytes are little-endian on every platform tfjs runs on.
  return npy('<f4', new Uint8Array(values.buffer, values.byteOffset, values.byteLength), shape);
}

/** Whole numbers as the int64 .npy `numpy.save` writes for `np.array(values, dtype=np.int64)`. */
export function npyInt64(values: readonly number[]): Uint8Array {
  const data = new BigInt64Array(values.map((value) => BigInt(value)));
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  data.forEach((value, i) => view.setBigInt64(i * 8, value, true));
  return npy('<i8', bytes, [values.length]);
}

/** The header numpy's `write_array_header_1_0` writes (padded so the data starts at a multiple of 64), then the data. */
function npy(descr: string, data: Uint8Array, shape: readonly number[]): Uint8Array {
  const dims = shape.length === 1 ? `${shape[0]},` : shape.join(', ');
  const dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims}), }`;
  const unpadded = 10 + dict.length + 1;
  const header = `${dict}${' '.repeat((64 - (unpadded % 64)) % 64)}\n`;
  const out = new Uint8Array(10 + header.length + data.byteLength);
  out.set([0x93, ...utf8Bytes('NUMPY'), 1, 0, header.length & 0xff, header.length >> 8]);
  out.set(utf8Bytes(header), 10);
  out.set(data, 10 + header.length);
  return out;
}
