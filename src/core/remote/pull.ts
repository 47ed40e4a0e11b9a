import type { TransferProgress } from '../format/progress';
import type { Assignment, Dataset, ModelRecord, Version } from '../objects/types';
import { assignmentRefName, assignmentTag } from '../registry/names';
import type { Store } from '../store';
import { checkout } from '../versions/checkout';
import { UncommittedChangesError } from '../versions/errors';
import { backboneRefName, tagRefName, versionRefName } from '../versions/ref-names';
import { readRefState, type RefState } from '../versions/ref-state';
import { INDEX_PATH } from './layout';
import { eachLimited } from './limited';
import { parentsFirst } from './parents-first';
import { readVerifiedFile, readVerifiedObject, type ExpectedFile } from './read-verified';
import { RemoteError, type Remote } from './remote';
import { readIndex, type RemoteIndex } from './remote-index';
import { readRegistryFile, REGISTRY_PATH } from './registry-file';
import type { TagConflict } from './tag-conflict';
import { isAbort, nameVersions, TransferError } from './transfer-error';

export interface PullOptions {
  signal?: AbortSignal;
  /** Files fetched so far and their bytes. */
  onProgress?: (progress: TransferProgress) => void;
  /** What the pull will fetch and store, once known and before fetching: for a check against the space left. */
  onPlanned?: (plan: { files: number; bytes: number }) => void | Promise<void>;
}

export interface PullResult {
  /** The remote's versions this pull brought onto the timeline (ancestors included). */
  versions: string[];
  /** Of those, the ones this browser did not have before. */
  added: string[];
  filesFetched: number;
  bytesFetched: number;
  /** Files this browser already had, so not fetched. */
  filesSkipped: number;
  /** Tags the remote has on other versions than here: the local ones stay. */
  tagConflicts: TagConflict[];
  /** Stage assignments of the pulled versions that this browser did not have. */
  assignmentsAdded: number;
  /** GTO tags the remote has for other assignments than here: the local ones stay. */
  stageConflicts: string[];
  /** The remote's HEAD (or, without one, the newest version pulled), checked out because this browser had no versions yet. */
  checkedOut: string | null;
  /** Why the remote's HEAD was not checked out although this browser had no versions. */
  checkoutSkipped: string | null;
}

const PARALLEL_FILES = 4;

/**
 * `dvc pull` for versions: reads the remote's index and records, fetches only
 * the files this browser lacks and checks every one (size, md5, sha256) and
 * every record (its id is the hash of its content) before storing anything;
 * then one commit adds the records, the versions to the timeline and the
 * remote's tags. Versions are content-addressed, so pulling one twice adds
 * nothing. A browser without versions checks out the remote's HEAD.
 */
export async function pull(store: Store, remote: Remote, options: PullOptions = {}): Promise<PullResult> {
  let index: RemoteIndex | null = null;
  try {
    index = await readIndex(remote, options.signal);
    if (index === null) throw new RemoteError('invalid', INDEX_PATH, `${remote.name} has no ${INDEX_PATH}: nothing was pushed there, or it is not a Pawprint remote.`);
    return await pullFrom(store, remote, index, await readRegistryFile(remote, options.signal), options);
  } catch (error) {
    if (isAbort(error)) throw error;
    const asked = index?.versions ?? [];
    throw new TransferError(
      `Pull from ${remote.name} failed: ${(error as Error).message} Nothing was added to this browser's versions` +
        `${asked.length > 0 ? ` (not transferred: ${nameVersions(asked, index!.tags)})` : ''}.`,
      { cause: error },
    );
  }
}

async function pullFrom(store: Store, remote: Remote, index: RemoteIndex, registry: ReadonlyMap<string, string>, options: PullOptions): Promise<PullResult> {
  const { signal, onProgress } = options;
  // A parent deleted before the push is on neither side: the history simply starts later.
  const versions = parentsFirst(await readRecords(store, remote, index.versions, 'version', signal), (read) => read.obj);
  const fresh = [...versions].filter(([, { stored }]) => !stored).map(([id, { obj }]) => ({ id, version: obj }));
  const datasets = await readRecords(store, remote, fresh.map(({ version }) => version.dataset), 'dataset', signal);
  const heads = await readRecords(store, remote, fresh.map(({ version }) => version.model), 'model', signal);
  // A head on pretrained features comes with its backbone (a strong reference, checked by commit).
  const backbones = await readRecords(store, remote, [...heads.values()].map(({ obj }) => obj.features?.backbone ?? null), 'model', signal);
  const models = new Map([...backbones, ...heads]);
  const assignments = await pulledAssignments(store, remote, registry, new Set(versions.keys()), signal);

  const wanted = expectedFiles(datasets.values(), models.values(), index);
  const missing = await store.missingBlobs(wanted.keys());
  await options.onPlanned?.({ files: missing.length, bytes: missing.reduce((total, sha) => total + wanted.get(sha)!.size, 0) });
  const fetched: Uint8Array[] = [];
  let bytesFetched = 0;
  await eachLimited(
    missing,
    PARALLEL_FILES,
    async (sha256) => {
      const bytes = await readVerifiedFile(remote, wanted.get(sha256)!, signal);
      fetched.push(bytes);
      bytesFetched += bytes.byteLength;
      onProgress?.({ done: fetched.length, total: missing.length, bytes: bytesFetched });
    },
    signal,
  );

  // Everything is verified: store the files, then records and refs in one transaction, under
  // the store lock (reading the remote and verifying did not hold it). The refs are read
  // there, so tags and HEAD follow what is stored then.
  const ids = [...versions.keys()];
  const save = async (store: Store) => {
    const refs = await readRefState(store);
    const { stored } = await store.putBlobs(fetched, { signal });
    const { tags, conflicts } = remoteTags(index, new Set(ids), refs);
    const stages = remoteAssignments(assignments, refs.targets);
    const newObjects = [...datasets.values(), ...models.values()].filter((r) => !r.stored).map((r) => r.obj);
    try {
      await store.commit(
        {
          objects: [...newObjects, ...fresh.map(({ version }) => version), ...stages.added.map(([, { obj }]) => obj)],
          refs: new Map([
            ...ids.map((id) => [versionRefName(id), id] as const),
            ...[...backbones].filter(([, read]) => !read.stored).map(([id]) => [backboneRefName(id), id] as const),
            ...tags,
            ...stages.added.map(([tag, { id }]) => [assignmentRefName(tag), id] as const),
          ]),
          allowMissingParents: true,
        },
        { signal },
      );
    } catch (error) {
      // Records refused (quota) or the pull cancelled: the files it stored go too, nothing stays unreferenced.
      await store.discardBlobs(stored);
      throw error;
    }
    const hadVersions = [...refs.timeline.values()].some((entry) => !entry.stash);
    const adopt = hadVersions ? null : headToAdopt(index, versions);
    // The versions are in: from here on nothing may fail the pull (or be cancelled), only be reported.
    let checkoutSkipped: string | null = null;
    if (adopt !== null) {
      try {
        await checkout(store, adopt);
      } catch (error) {
        checkoutSkipped =
          error instanceof UncommittedChangesError ? 'this browser has work that is not committed; check the version out yourself when ready' : (error as Error).message;
      }
    }
    return { conflicts, stages, adopt, checkoutSkipped };
  };
  const { conflicts, stages, adopt, checkoutSkipped } = await store.underLock(save);
  return {
    versions: ids,
    added: fresh.map(({ id }) => id),
    filesFetched: fetched.length,
    bytesFetched,
    filesSkipped: wanted.size - missing.length,
    tagConflicts: conflicts,
    assignmentsAdded: stages.added.length,
    stageConflicts: stages.conflicts,
    checkedOut: checkoutSkipped === null ? adopt : null,
    checkoutSkipped,
  };
}

/** The remote's HEAD when it was pulled, else the newest version pulled (its pusher's HEAD was not pushed). */
function headToAdopt(index: RemoteIndex, pulled: Map<string, Read<Version>>): string | null {
  if (index.head !== null && pulled.has(index.head)) return index.head;
  const newest = [...pulled].sort(([, a], [, b]) => Date.parse(b.obj.createdAt) - Date.parse(a.obj.createdAt))[0];
  return newest?.[0] ?? null;
}

interface Read<T> {
  obj: T;
  /** Already in this browser's store (read from there, not the remote). */
  stored: boolean;
}

/** The remote's assignments of pulled versions (tag → record), each a valid record whose tag is the one it is listed under. */
async function pulledAssignments(
  store: Store,
  remote: Remote,
  registry: ReadonlyMap<string, string>,
  pulled: ReadonlySet<string>,
  signal?: AbortSignal,
): Promise<Map<string, Read<Assignment> & { id: string }>> {
  const records = await readRecords(store, remote, registry.values(), 'assignment', signal);
  const byTag = new Map<string, Read<Assignment> & { id: string }>();
  for (const [tag, id] of registry) {
    const read = records.get(id)!;
    if (assignmentTag(read.obj) !== tag) throw new RemoteError('invalid', REGISTRY_PATH, `${REGISTRY_PATH} on ${remote.name} lists ${tag} for an assignment whose tag is ${assignmentTag(read.obj)}.`);
    if (pulled.has(read.obj.version)) byTag.set(tag, { ...read, id });
  }
  return byTag;
}

/** Assignments this browser lacks; a tag it has for another assignment stays, and is reported. */
function remoteAssignments(
  assignments: ReadonlyMap<string, Read<Assignment> & { id: string }>,
  targets: ReadonlyMap<string, string>,
): { added: [string, Read<Assignment> & { id: string }][]; conflicts: string[] } {
  const added: [string, Read<Assignment> & { id: string }][] = [];
  const conflicts: string[] = [];
  for (const [tag, read] of assignments) {
    const local = targets.get(assignmentRefName(tag));
    if (local === undefined) added.push([tag, read]);
    else if (local !== read.id) conflicts.push(tag);
  }
  return { added, conflicts };
}

/** Records by id: from this browser's store when it has them, else from the remote, verified. */
async function readRecords<K extends 'dataset' | 'model' | 'version' | 'assignment'>(
  store: Store,
  remote: Remote,
  ids: Iterable<string | null>,
  kind: K,
  signal?: AbortSignal,
): Promise<Map<string, Read<Extract<Dataset | ModelRecord | Version | Assignment, { kind: K }>>>> {
  const records = new Map<string, Read<Extract<Dataset | ModelRecord | Version | Assignment, { kind: K }>>>();
  const unique = [...new Set(ids)].filter((id): id is string => id !== null);
  // What this browser has: found and read in one transaction, not two per record.
  const here = await store.findObjects(unique, kind);
  for (const [id, obj] of here) records.set(id, { obj, stored: true });
  await eachLimited(
    unique.filter((id) => !here.has(id)),
    PARALLEL_FILES,
    async (id) => {
      records.set(id, { obj: await readVerifiedObject(remote, id, kind, signal), stored: false });
    },
    signal,
  );
  return records;
}

/** Every file the data sets and models name, by sha256, with what it must hash to. */
function expectedFiles(datasets: Iterable<Read<Dataset>>, models: Iterable<Read<ModelRecord>>, index: RemoteIndex): Map<string, ExpectedFile> {
  const files = new Map<string, ExpectedFile>();
  for (const { obj } of datasets) for (const { sha256, md5, size } of obj.entries) files.set(sha256, { sha256, md5, size });
  for (const { obj } of models) {
    const md5 = index.weights.get(obj.weights);
    if (md5 === undefined) throw new RemoteError('invalid', INDEX_PATH, `${INDEX_PATH} does not say where the weights ${obj.weights.slice(0, 12)} of a model are.`);
    files.set(obj.weights, { sha256: obj.weights, md5, size: obj.weightsSize });
  }
  return files;
}

/** The remote's tags on pulled versions that this browser lacks; ones it has elsewhere stay and are reported. */
function remoteTags(index: RemoteIndex, pulled: Set<string>, refs: RefState): { tags: Map<string, string>; conflicts: TagConflict[] } {
  const tags = new Map<string, string>();
  const conflicts: TagConflict[] = [];
  for (const [tag, id] of index.tags) {
    if (!pulled.has(id)) continue;
    const local = refs.tags.get(tag);
    if (local === undefined) tags.set(tagRefName(tag), id);
    else if (local !== id) conflicts.push({ tag, kept: local, other: id });
  }
  return { tags, conflicts };
}
