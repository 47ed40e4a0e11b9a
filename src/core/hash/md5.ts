import { createMD5, type IHasher } from 'hash-wasm';
import { toUint8Array, type BinaryData } from './bytes';

// One hasher for every call, created once. hash-wasm's md5() creates a WASM
// instance per call until its first call has finished: an ingest hashing a
// thousand files at once would build a thousand. init/update/digest run
// synchronously, so calls cannot interleave on the one hasher.
let hasher: Promise<IHasher> | undefined;

/** Lowercase hex MD5, DVC's file hash. WebCrypto has no MD5, so this uses hash-wasm. */
export async function md5Hex(data: BinaryData): Promise<string> {
  const md5 = await (hasher ??= createMD5());
  md5.init();
  md5.update(toUint8Array(data));
  return md5.digest('hex');
}
