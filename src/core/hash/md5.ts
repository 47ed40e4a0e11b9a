import { md5 } from 'hash-wasm';
import { toUint8Array, type BinaryData } from './bytes';

/** Lowercase hex MD5, DVC's file hash. WebCrypto has no MD5, so this uses hash-wasm. */
export function md5Hex(data: BinaryData): Promise<string> {
  return md5(toUint8Array(data));
}
