import { toUint8Array, type BinaryData } from './bytes';
import { md5Hex } from './md5';
import { sha256Hex } from './sha256';

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
