import { utf8Bytes } from '../hash/bytes';
import { sha256Hex } from '../hash/sha256';
import { canonicalJson } from './canonicalJson';
import type { PawprintObject } from './types';

/** An object's address: sha256 of the UTF-8 bytes of its canonical JSON. */
export async function objectId(obj: PawprintObject): Promise<string> {
  return (await encodeObject(obj)).id;
}

/** The id together with the encoded size, for callers that report how much they write. */
export async function encodeObject(obj: PawprintObject): Promise<{ id: string; size: number }> {
  const bytes = utf8Bytes(canonicalJson(obj));
  return { id: await sha256Hex(bytes), size: bytes.byteLength };
}
