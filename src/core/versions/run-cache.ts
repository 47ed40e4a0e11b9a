import { utf8Bytes } from '../hash/bytes';
import { sha256Hex } from '../hash/sha256';
import { canonicalJson } from '../objects/canonical-json';
import type { Version } from '../objects/types';
import type { Store } from '../store';
import { readRefState, type RefState } from './ref-state';

/** Everything that decides a training run (DVC's run-cache inputs: deps, params, code). */
export interface RunInputs {
  datasetId: string;
  /** The TrainParams; the architecture is one of them. */
  params: object;
  /** The code: another Pawprint version may train differently. */
  appVersion: string;
}

/** A stored model trained from the same inputs. */
export interface CachedRun {
  versionId: string;
  /** What to call it: "v1.0" (its first tag), its message, "the last training run" or an experiment's name ("exp-3f9a1"). */
  label: string;
  modelId: string;
}

/** The run-cache key: sha256 of the canonical JSON of the inputs, so equal inputs give one key whatever their key order. */
export async function runCacheKey(inputs: RunInputs): Promise<string> {
  return sha256Hex(utf8Bytes(canonicalInputs(inputs)));
}

/**
 * `dvc repro`'s run-cache: a version on the timeline, the last run or an
 * experiment's result that holds a model trained on this data set with
 * deep-equal params by the same app version. Tagged versions are preferred,
 * then committed ones, then stashes, then the uncommitted run, then
 * experiments; newest first within each.
 */
export async function findCachedRun(store: Store, inputs: RunInputs): Promise<CachedRun | null> {
  const refs = await readRefState(store);
  const experiments = new Map<string, string>();
  for (const record of await store.listExperiments()) if (record.status === 'done' && record.result) experiments.set(record.result, record.name);
  const versions = await store.getObjects([...refs.timeline.keys(), refs.run, ...experiments.keys()], 'version');
  const wanted = canonicalInputs(inputs);
  const rank = (versionId: string) => preference(refs, versionId, experiments);
  const hits = [...versions]
    .filter(([, version]) => version.model !== null && version.dataset === inputs.datasetId && inputsOf(version) === wanted)
    .sort(([idA, a], [idB, b]) => rank(idA) - rank(idB) || Date.parse(b.createdAt) - Date.parse(a.createdAt));
  const best = hits[0];
  if (best === undefined) return null;
  const [versionId, version] = best;
  return { versionId, label: labelOf(refs, versionId, version, experiments), modelId: version.model! };
}

/** "v1.0" (first tag), the message of a committed version or stash, "the last training run" or the experiment's name. */
function labelOf(refs: RefState, versionId: string, version: Version, experiments: ReadonlyMap<string, string>): string {
  const tag = refs.tagsByVersion.get(versionId)?.[0];
  if (tag !== undefined) return tag;
  if (refs.timeline.has(versionId)) return version.message;
  if (versionId === refs.run) return 'the last training run';
  return experiments.get(versionId) ?? 'an earlier run';
}

function canonicalInputs({ datasetId, params, appVersion }: RunInputs): string {
  return canonicalJson({ appVersion, datasetId, params });
}

/** The canonical inputs a version's model was trained from, or null when it does not record its app version. */
function inputsOf(version: Version): string | null {
  const appVersion = version.run?.['appVersion'];
  return typeof appVersion === 'string' ? canonicalInputs({ datasetId: version.dataset, params: version.params, appVersion }) : null;
}

function preference(refs: RefState, versionId: string, experiments: ReadonlyMap<string, string>): number {
  const onTimeline = refs.timeline.get(versionId);
  if (onTimeline === undefined) return versionId === refs.run || !experiments.has(versionId) ? 3 : 4;
  if (onTimeline.stash) return 2;
  return refs.tagsByVersion.has(versionId) ? 0 : 1;
}
