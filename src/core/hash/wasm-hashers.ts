import { createMD5, createSHA256, type IHasher } from 'hash-wasm';

// One hash-wasm hasher of each kind per thread, created on first use:
// hash-wasm's md5() would create a WASM instance per call until its first
// call has finished, and an ingest hashes a thousand files at once.
// init/update/digest run synchronously, so calls cannot interleave.
let hashers: Promise<{ sha256: IHasher; md5: IHasher }> | undefined;

export function wasmHashers(): Promise<{ sha256: IHasher; md5: IHasher }> {
  return (hashers ??= Promise.all([createSHA256(), createMD5()]).then(([sha256, md5]) => ({ sha256, md5 })));
}

/** Lowercase hex digest of `bytes` on `hasher`, synchronously. */
export function digestHex(hasher: IHasher, bytes: Uint8Array): string {
  hasher.init();
  hasher.update(bytes);
  return hasher.digest('hex');
}
