import { utf8Bytes } from '../hash/bytes';
import { sha256Hex } from '../hash/sha256';
import { canonicalJson } from './canonical-json';
import type { PawprintObject } from './types';

export interface EncodedObject {
  id: string;
  /** The canonical JSON: the text the store keeps, whose UTF-8 bytes the id is the sha256 of. */
  json: string;
  /** Bytes of the canonical JSON. */
  size: number;
}

// Objects are values: one is not changed once its id is known (the id is its
// content). So naming an object and then committing it (the usual order: the
// ref needs the id) encodes a 2 800-entry data set once, not twice.
const encodings = new WeakMap<PawprintObject, Promise<EncodedObject>>();

/** An object's address: sha256 of the UTF-8 bytes of its canonical JSON. */
export async function objectId(obj: PawprintObject): Promise<string> {
  return (await encodeObject(obj)).id;
}

/** The id together with the canonical JSON and its size in bytes, for callers that store it. */
export function encodeObject(obj: PawprintObject): Promise<EncodedObject> {
  let encoded = encodings.get(obj);
  if (!encoded) {
    encoded = encode(obj);
    encodings.set(obj, encoded);
    encoded.catch(() => encodings.delete(obj));
  }
  return encoded;
}

async function encode(obj: PawprintObject): Promise<EncodedObject> {
  const json = canonicalJson(obj);
  const bytes = utf8Bytes(json);
  return { id: await sha256Hex(bytes), json, size: bytes.byteLength };
}
