import { toUint8Array, type BinaryData } from './bytes';
import { md5Hex } from './md5';
import { sha256Hex, WEBCRYPTO_FROM_BYTES } from './sha256';
import { digestHex, wasmHashers } from './wasm-hashers';

/** The two content hashes Pawprint keeps for every blob: its own key (sha256) and DVC's (md5). */
export interface ContentHashes {
  sha256: string;
  md5: string;
  size: number;
}

export async function hashBytes(data: BinaryData): Promise<ContentHashes> {
  const bytes = toUint8Array(data);
  const [sha256, md5] = await Promise.all([sha256Hex(bytes), md5Hex(bytes)]);
  return { sha256, md5, size: bytes.byteLength };
}

/**
 * Hashes many inputs, in input order: the small ones one after another on
 * this thread with no promise each (a thousand 400-byte images spent most of
 * their hashing time on promise bookkeeping), the large ones as hashBytes
 * does, in parallel.
 */
export async function hashMany(items: readonly BinaryData[]): Promise<ContentHashes[]> {
  const hashers = await wasmHashers();
  return Promise.all(
    items.map((item) => {
      const bytes = toUint8Array(item);
      if (bytes.byteLength >= WEBCRYPTO_FROM_BYTES) return hashBytes(bytes);
      return { sha256: digestHex(hashers.sha256, bytes), md5: digestHex(hashers.md5, bytes), size: bytes.byteLength };
    }),
  );
}

/**
 * Hashes a few hundred small inputs, so that the first real batch finds the
 * WASM hashers instantiated and their code optimised: Chromium compiles WASM
 * in tiers, and a cold worker hashed its first 1 800 small images 3× slower.
 */
export async function warmUpHashers(): Promise<void> {
  await hashMany(Array.from({ length: 512 }, () => new Uint8Array(1024)));
}
