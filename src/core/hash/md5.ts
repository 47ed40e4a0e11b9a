import { toUint8Array, type BinaryData } from './bytes';
import { digestHex, wasmHashers } from './wasm-hashers';

/** Lowercase hex MD5, DVC's file hash. WebCrypto has no MD5, so this uses hash-wasm. */
export async function md5Hex(data: BinaryData): Promise<string> {
  return digestHex((await wasmHashers()).md5, toUint8Array(data));
}
