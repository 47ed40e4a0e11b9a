import { hashBytes } from '../hash/hash-bytes';
import { dvcDirInfo, sameDvcInfo } from '../objects/build-dataset';
import { encodeObject } from '../objects/object-id';
import type { ObjectKind, ObjectOfKind, PawprintObject } from '../objects/types';
import { validateObject } from '../objects/validate-object';
import { jsonValue } from './json-bytes';
import { filePath, objectPath } from './layout';
import { RemoteError, type Remote } from './remote';

/** What a file on the remote must be: its store key, DVC hash and size. */
export interface ExpectedFile {
  sha256: string;
  md5: string;
  size: number;
}

/**
 * A file's bytes from `files/md5/…`, refused unless its size, md5 and sha256
 * are exactly what the data set or model that names it says.
 */
export async function readVerifiedFile(remote: Remote, expected: ExpectedFile, signal?: AbortSignal): Promise<Uint8Array> {
  const path = filePath(expected.md5);
  const bytes = await present(remote, path, signal);
  const actual = await hashBytes(bytes);
  const problem =
    actual.size !== expected.size ? `it is ${actual.size} bytes long, not ${expected.size}` :
    actual.md5 !== expected.md5 ? `its md5 is ${actual.md5}` :
    actual.sha256 !== expected.sha256 ? `its sha256 is ${actual.sha256}, not ${expected.sha256}` : null;
  if (problem) throw new RemoteError('invalid', path, `${path} on ${remote.name} is damaged: ${problem}.`);
  return bytes;
}

/**
 * A data set, model or version record from `pawprint/objects/<id>.json`,
 * refused unless it is a valid object of that kind whose canonical JSON hashes
 * to its id (and, for a data set, whose DVC hash matches its files).
 */
export async function readVerifiedObject<K extends ObjectKind>(remote: Remote, id: string, kind: K, signal?: AbortSignal): Promise<ObjectOfKind<K>> {
  const path = objectPath(id);
  const bytes = await present(remote, path, signal);
  const damaged = (problem: string): never => {
    throw new RemoteError('invalid', path, `${path} on ${remote.name} was refused: ${problem.replace(/\.$/, '')}.`);
  };
  const value = jsonValue(bytes);
  if (value === undefined) return damaged('it is not JSON');
  let obj: PawprintObject;
  try {
    obj = validateObject(value);
  } catch (error) {
    return damaged((error as Error).message);
  }
  if (obj.kind !== kind) damaged(`it is a ${obj.kind} where a ${kind} was expected`);
  const actual = (await encodeObject(obj)).id;
  if (actual !== id) damaged(`its content hashes to ${actual}, so it was changed or damaged`);
  if (obj.kind === 'dataset' && !sameDvcInfo(await dvcDirInfo(obj.entries), obj.dvc)) damaged(`its DVC hash does not match its files`);
  return obj as ObjectOfKind<K>;
}

async function present(remote: Remote, path: string, signal?: AbortSignal): Promise<Uint8Array> {
  const bytes = await remote.read(path, signal);
  if (bytes === null) throw new RemoteError('invalid', path, `${path} is missing on ${remote.name}.`);
  return bytes;
}
