import { utf8Bytes } from '../hash/bytes';
import { jsonValue } from './json-bytes';
import { RemoteError, type Remote } from './remote';

/**
 * `pawprint/registry.json`: the remote's stage assignments, GTO tag → assignment id (the
 * records are under `pawprint/objects/` like versions). A file of its own rather than a field of
 * index.json, so a Pawprint that predates the registry pushes to the same remote without
 * dropping it (it rewrites index.json with the fields it knows) and still reads the index.
 */
export const REGISTRY_PATH = 'pawprint/registry.json';
const REGISTRY_FORMAT = 'pawprint-registry';
const REGISTRY_SCHEMA = 1;

const SHA256 = /^[0-9a-f]{64}$/;
/** `model#production#3`, `model#production!#4`: GTO's names around "#", its counter last. */
const GTO_TAG = /^[a-z][a-z0-9/-]*[a-z0-9]#[a-z][a-z0-9/-]*[a-z0-9]!?#[1-9][0-9]*$/;

/** The remote's assignments (tag → id); empty when none were ever pushed. Refuses a file this code cannot read. */
export async function readRegistryFile(remote: Remote, signal?: AbortSignal): Promise<Map<string, string>> {
  const bytes = await remote.read(REGISTRY_PATH, signal);
  if (bytes === null) return new Map();
  const invalid = (problem: string): never => {
    throw new RemoteError('invalid', REGISTRY_PATH, `${REGISTRY_PATH} on ${remote.name} is not a Pawprint registry: ${problem}.`);
  };
  const value = jsonValue(bytes);
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return invalid('it is not a JSON object');
  const file = value as Record<string, unknown>;
  if (file['format'] !== REGISTRY_FORMAT) return invalid(`its format is ${JSON.stringify(file['format'])}, not "${REGISTRY_FORMAT}"`);
  if (file['schema'] !== REGISTRY_SCHEMA) {
    throw new RemoteError(
      'invalid',
      REGISTRY_PATH,
      `${REGISTRY_PATH} on ${remote.name} is in format ${JSON.stringify(file['schema'])}, but this version of Pawprint reads format ${REGISTRY_SCHEMA}. Update Pawprint to use this remote.`,
    );
  }
  const assignments = file['assignments'];
  if (typeof assignments !== 'object' || assignments === null || Array.isArray(assignments)) return invalid('"assignments" must map GTO tags to assignment ids');
  const entries = Object.entries(assignments);
  const bad = entries.find(([tag, id]) => !GTO_TAG.test(tag) || typeof id !== 'string' || !SHA256.test(id));
  if (bad) invalid(`${JSON.stringify(bad[0])} is not a GTO tag naming an assignment id`);
  return new Map(entries as [string, string][]);
}

export function encodeRegistryFile(assignments: ReadonlyMap<string, string>): Uint8Array {
  const sorted = Object.fromEntries([...assignments].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return utf8Bytes(JSON.stringify({ format: REGISTRY_FORMAT, schema: REGISTRY_SCHEMA, assignments: sorted }, null, 2) + '\n');
}

/**
 * The remote's assignments after a push: its own kept, the pushed ones added. A tag it already
 * has for another assignment stays (like `git push` refusing to move a tag) and is reported.
 */
export function mergeRegistry(remote: ReadonlyMap<string, string>, pushed: ReadonlyMap<string, string>): { assignments: Map<string, string>; conflicts: string[] } {
  const assignments = new Map(remote);
  const conflicts: string[] = [];
  for (const [tag, id] of pushed) {
    const existing = assignments.get(tag);
    if (existing === undefined) assignments.set(tag, id);
    else if (existing !== id) conflicts.push(tag);
  }
  return { assignments, conflicts };
}
