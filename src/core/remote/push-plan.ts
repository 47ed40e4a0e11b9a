import { utf8Bytes } from '../hash/bytes';
import { dvcDirText } from '../hash/dvc';
import { canonicalJson } from '../objects/canonical-json';
import type { Dataset, ModelRecord, PawprintObject, Version } from '../objects/types';
import { readRegistry } from '../registry/read-registry';
import type { Store } from '../store';
import { VersionError } from '../versions/errors';
import { readRefState } from '../versions/ref-state';
import { filePath, objectPath } from './layout';
import { constantFile, modelFolderFiles } from './model-folder';
import { parentsFirst } from './parents-first';

/**
 * One file a push may write: where, how big, and its bytes — a stored blob
 * (read only when the remote lacks it, many in one read) or bytes the plan made.
 */
export type PlannedFile = { path: string; size: number } & ({ sha256: string } | { bytes: Uint8Array });

export interface PushPlan {
  /** Version ids to push, parents before children. */
  versions: string[];
  /**
   * In write order: file bytes (data files, weights, each model's model.json and
   * metadata.json), `.dir` listings (data sets, model folders), then objects
   * (data sets, models, versions last).
   */
  files: PlannedFile[];
  /** Tag → version id, for the pushed versions. */
  tags: Map<string, string>;
  /** Local HEAD when it is pushed. */
  head: string | null;
  /** Weights sha256 → md5. */
  weights: Map<string, string>;
  /** GTO tag → assignment id: the stage assignments of the pushed versions (their records are in `files`). */
  assignments: Map<string, string>;
}

/**
 * What pushing these versions (default: every committed version) writes. Each
 * version's committed ancestors come along, so a pull can always store a
 * version's parent before the version itself; so do their stage assignments.
 */
export async function planPush(store: Store, versionIds?: readonly string[]): Promise<PushPlan> {
  const refs = await readRefState(store);
  const committed = [...refs.timeline].filter(([, entry]) => !entry.stash).map(([id]) => id);
  const asked = versionIds ?? committed;
  const unknown = asked.filter((id) => !committed.includes(id));
  if (unknown.length > 0) throw new VersionError('no-such-version', `Not a committed version here: ${unknown.map((id) => id.slice(0, 12)).join(', ')}.`);

  const versions = await withAncestors(store, asked, new Set(committed));
  const datasets = await store.getObjects([...versions.values()].map((v) => v.dataset), 'dataset');
  const heads = await store.getObjects([...versions.values()].map((v) => v.model), 'model');
  // A head on pretrained features cannot run without its backbone: it travels with it.
  const backbones = await store.getObjects([...heads.values()].map((model) => model.features?.backbone ?? null), 'model');
  const models = new Map([...backbones, ...heads]);
  const weights = new Map<string, string>();
  for (const model of models.values()) {
    const record = await store.getBlobRecord(model.weights);
    if (record === undefined) throw new VersionError('no-such-version', `The weights of a model (${model.weights.slice(0, 12)}) are missing from this browser's store; run Verify.`);
    weights.set(model.weights, record.md5);
  }

  const ids = [...versions.keys()];
  const assignments = (await readRegistry(store)).history.filter((entry) => versions.has(entry.assignment.version));
  const modelFolders = await Promise.all(
    [...versions].flatMap(([versionId, version]) => {
      const model = version.model === null ? undefined : heads.get(version.model);
      if (model === undefined) return [];
      return [modelFolderFiles(store, { versionId, version, model, dataset: datasets.get(version.dataset)! }, weights.get(model.weights)!)];
    }),
  );
  return {
    versions: ids,
    files: uniquePaths([
      ...blobFiles(datasets.values(), models.values(), weights),
      ...modelFolders.flatMap((folder) => folder.bytes),
      ...[...datasets.values()].map(dirListingFile),
      ...modelFolders.map((folder) => folder.listing),
      ...[...datasets, ...models, ...versions].map(([id, obj]) => objectFile(id, obj)),
      ...assignments.map((entry) => objectFile(entry.id, entry.assignment)),
    ]),
    tags: new Map([...refs.tags].filter(([, id]) => versions.has(id))),
    head: refs.head !== null && versions.has(refs.head) ? refs.head : null,
    weights,
    assignments: new Map(assignments.map((entry) => [entry.tag, entry.id])),
  };
}

/** The versions and, following parents, their committed ancestors; oldest first. */
async function withAncestors(store: Store, ids: readonly string[], committed: Set<string>): Promise<Map<string, Version>> {
  const found = new Map<string, Version>();
  let frontier = [...new Set(ids)];
  while (frontier.length > 0) {
    const read = await store.getObjects(frontier, 'version');
    for (const [id, version] of read) found.set(id, version);
    frontier = [...read.values()]
      .map((version) => version.parent)
      .filter((parent): parent is string => parent !== null && committed.has(parent) && !found.has(parent));
  }
  return parentsFirst(found, (version) => version);
}

/** Each distinct file once, under its md5 (DVC's remote layout). */
function blobFiles(datasets: Iterable<Dataset>, models: Iterable<ModelRecord>, weights: ReadonlyMap<string, string>): PlannedFile[] {
  const byMd5 = new Map<string, PlannedFile>();
  const add = (sha256: string, md5: string, size: number) => {
    if (!byMd5.has(md5)) byMd5.set(md5, { path: filePath(md5), size, sha256 });
  };
  for (const dataset of datasets) for (const entry of dataset.entries) add(entry.sha256, entry.md5, entry.size);
  for (const model of models) add(model.weights, weights.get(model.weights)!, model.weightsSize);
  return [...byMd5.values()];
}

/** The data set's `.dir` object, byte for byte what `dvc push` writes. */
function dirListingFile(dataset: Dataset): PlannedFile {
  return constantFile(filePath(dataset.dvc.md5), utf8Bytes(dvcDirText(dataset.entries.map(({ md5, path }) => ({ md5, relpath: path })))));
}

function objectFile(id: string, obj: PawprintObject): PlannedFile {
  return constantFile(objectPath(id), utf8Bytes(canonicalJson(obj)));
}

/** Each path once, where it first comes (files sharing a path have the same bytes: the path is their hash). */
function uniquePaths(files: PlannedFile[]): PlannedFile[] {
  const seen = new Set<string>();
  return files.filter((file) => !seen.has(file.path) && seen.add(file.path));
}
