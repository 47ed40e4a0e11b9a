/**
 * A private copy of the bytes as a standalone ArrayBuffer. Copying means the
 * bytes hashed are exactly the bytes stored, even if the caller reuses its
 * buffer while the hash is being computed.
 */
export function ownBytes(data: ArrayBuffer | ArrayBufferView): ArrayBuffer {
  if (data instanceof ArrayBuffer) return data.slice(0);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice().buffer;
  throw new TypeError(`Expected bytes (an ArrayBuffer or typed array), got ${Object.prototype.toString.call(data)}.`);
}
