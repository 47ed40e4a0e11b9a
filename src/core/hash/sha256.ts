import { toUint8Array, type BinaryData } from './bytes';

/** Lowercase hex SHA-256 through WebCrypto (native speed in browsers, workers and Node). */
export async function sha256Hex(data: BinaryData): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', toUint8Array(data));
  return toHex(new Uint8Array(digest));
}

function toHex(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return hex;
}
