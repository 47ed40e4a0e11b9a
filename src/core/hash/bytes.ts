/** Bytes as callers hand them to the hash and store APIs. */
export type BinaryData = Uint8Array | ArrayBuffer;

/**
 * A view WebCrypto and hash-wasm both accept. TypeScript's DOM types refuse
 * views that might sit on a SharedArrayBuffer, so such views are copied;
 * ordinary ones are passed through without copying.
 */
export function toUint8Array(data: BinaryData): Uint8Array<ArrayBuffer> {
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (data.buffer instanceof ArrayBuffer) return data as Uint8Array<ArrayBuffer>;
  return new Uint8Array(data);
}

const utf8 = new TextEncoder();

export function utf8Bytes(text: string): Uint8Array<ArrayBuffer> {
  return utf8.encode(text) as Uint8Array<ArrayBuffer>;
}
