import { toUint8Array, type BinaryData } from './bytes';
import { digestHex, wasmHashers } from './wasm-hashers';

// Below this size one WebCrypto digest costs more in its round trip to
// another thread than in hashing: an ingest of a thousand 400-byte images
// spends most of its hashing time waiting on promises. Above it WebCrypto
// wins by far (24 KB JPEGs: 46 ms vs 157 ms for 2 800, BENCHMARKS.md). Small inputs are hashed
// here, synchronously, by the shared hash-wasm hasher (same digest).
export const WEBCRYPTO_FROM_BYTES = 4 * 1024;

/** Lowercase hex SHA-256: WebCrypto (native speed, off this thread) for large inputs, hash-wasm for small ones. */
export async function sha256Hex(data: BinaryData): Promise<string> {
  const bytes = toUint8Array(data);
  if (bytes.byteLength < WEBCRYPTO_FROM_BYTES) return digestHex((await wasmHashers()).sha256, bytes);
  const digest = await crypto.subtle.digest('SHA-256', bytes);
  return toHex(new Uint8Array(digest));
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
