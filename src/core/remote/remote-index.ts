import { utf8Bytes } from '../hash/bytes';
import { tagNameProblem } from '../versions/tag-name';
import { jsonValue } from './json-bytes';
import { INDEX_PATH } from './layout';
import { RemoteError, type Remote } from './remote';

export const INDEX_FORMAT = 'pawprint-remote';
export const INDEX_SCHEMA = 1;

const SHA256 = /^[0-9a-f]{64}$/;
const MD5 = /^[0-9a-f]{32}$/;

/**
 * `pawprint/index.json`: the remote's timeline. Objects say what a version
 * holds; the index says which versions the remote has, its tags and HEAD, and
 * the md5 of each model's weights (a model record names its weights by sha256
 * only, but the bytes live under their md5 in DVC's layout).
 */
export interface RemoteIndex {
  format: typeof INDEX_FORMAT;
  schema: typeof INDEX_SCHEMA;
  /** Version ids, oldest push first. */
  versions: string[];
  /** Tag → version id (a Map: tags are the user's text, "__proto__" and "constructor" included). */
  tags: Map<string, string>;
  head: string | null;
  /** Weights blob sha256 → md5. */
  weights: Map<string, string>;
}

export function emptyIndex(): RemoteIndex {
  return { format: INDEX_FORMAT, schema: INDEX_SCHEMA, versions: [], tags: new Map(), head: null, weights: new Map() };
}

/** The remote's index, or null when nothing was ever pushed there. Refuses one this code cannot read. */
export async function readIndex(remote: Remote, signal?: AbortSignal): Promise<RemoteIndex | null> {
  const bytes = await remote.read(INDEX_PATH, signal);
  return bytes === null ? null : parseIndex(bytes, remote.name);
}

export function encodeIndex(index: RemoteIndex): Uint8Array {
  const json = { ...index, tags: Object.fromEntries(index.tags), weights: Object.fromEntries(index.weights) };
  return utf8Bytes(JSON.stringify(json, null, 2) + '\n');
}

export function parseIndex(bytes: Uint8Array, remoteName: string): RemoteIndex {
  const where = `${INDEX_PATH} on ${remoteName}`;
  const invalid = (problem: string): never => {
    throw new RemoteError('invalid', INDEX_PATH, `${where} is not a Pawprint index: ${problem}.`);
  };
  const value = jsonValue(bytes);
  if (value === undefined) return invalid('it is not JSON');
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('it is not a JSON object');
  const index = value as Record<string, unknown>;
  if (index['format'] !== INDEX_FORMAT) return invalid(`its format is ${JSON.stringify(index['format'])}, not "${INDEX_FORMAT}"`);
  if (index['schema'] !== INDEX_SCHEMA) {
    throw new RemoteError(
      'invalid',
      INDEX_PATH,
      `${where} is in index format ${JSON.stringify(index['schema'])}, but this version of Pawprint reads format ${INDEX_SCHEMA}. Update Pawprint to use this remote.`,
    );
  }
  const versions = index['versions'];
  if (!Array.isArray(versions) || !versions.every((id) => typeof id === 'string' && SHA256.test(id))) return invalid('"versions" must be a list of version ids');
  const tags = hashMap(index['tags'], SHA256) ?? invalid('"tags" must map tag names to version ids');
  const weights = hashMap(index['weights'], MD5) ?? invalid('"weights" must map sha256 hashes to md5 hashes');
  if ([...weights.keys()].some((sha) => !SHA256.test(sha))) invalid('"weights" must map sha256 hashes to md5 hashes');
  const head = index['head'];
  if (head !== null && (typeof head !== 'string' || !versions.includes(head))) invalid('"head" must be one of its versions or null');
  if ([...tags.values()].some((id) => !versions.includes(id))) invalid('a tag names a version the index does not list');
  const badTag = [...tags.keys()].find((tag) => tagNameProblem(tag) !== null);
  if (badTag !== undefined) invalid(`its tag ${JSON.stringify(badTag)} is not a valid tag name`);
  return { format: INDEX_FORMAT, schema: INDEX_SCHEMA, versions: [...new Set(versions as string[])], tags, head: head as string | null, weights };
}

/** A JSON object whose values all match `pattern`, as a Map (JSON.parse makes "__proto__" an own key, which Object.entries keeps). */
function hashMap(value: unknown, pattern: RegExp): Map<string, string> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value);
  return entries.every(([, v]) => typeof v === 'string' && pattern.test(v)) ? new Map(entries as [string, string][]) : null;
}
