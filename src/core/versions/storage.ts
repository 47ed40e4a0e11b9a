import { readMonitoringRecords } from '../monitoring/read-records';
import type { Version } from '../objects/types';
import type { Store } from '../store';
import { blobSizesOf, datasetBlobSizes } from './dataset-blobs';
import { readRefState } from './ref-state';

export interface VersionStorage {
  id: string;
  /** Bytes of the blobs only this version holds: what deleting it (then gc) frees. */
  uniqueBytes: number;
  /** Bytes of its blobs that another version, the workspace or the last run also holds. */
  sharedBytes: number;
  /** Bytes of the images its monitoring records keep (counted in the figures above too). */
  monitoringBytes: number;
}

export interface StorageReport {
  versions: VersionStorage[];
  /** The experiments: how many are stored, and the bytes only they hold (what removing them all, then gc, frees). */
  experiments: { count: number; uniqueBytes: number };
  /** Every stored blob, referenced or not (what the store occupies, besides small objects). */
  totalBlobBytes: number;
}

/** What one root of gc holds: a data set's files (blob → size), model weights and the images of monitoring records. */
interface Holder {
  files: Map<string, number>;
  weights: { sha256: string; size: number } | null;
  monitoring: Map<string, number>;
}

/**
 * Storage per version on the timeline. A version holds the blobs of its data
 * set's files, of its model's weights and of its monitoring records' images
 * (deleted with it); the workspace data set, the last run and the experiments
 * hold blobs too, so a blob they share with a version is not unique to it.
 * Counts follow gc exactly (strong references only; a parent holds nothing).
 */
export async function versionStorage(store: Store, options: { signal?: AbortSignal } = {}): Promise<StorageReport> {
  const [refs, experiments] = await Promise.all([readRefState(store), store.listExperiments()]);
  const results = experiments.flatMap((record) => (record.result ? [record.result] : []));
  const versions = await store.getObjects([...refs.timeline.keys(), refs.run, ...results], 'version');
  const all = [...versions.values()];
  const timelineDatasets = new Set([...refs.timeline.keys()].map((id) => versions.get(id)!.dataset));
  // The workspace's, the last run's and experiments' data sets, when no version has them, come and go: read them, do not cache them.
  const passingDatasets = [refs.workspace, ...all.map((version) => version.dataset), ...experiments.map((record) => record.datasetId)].filter(
    (id) => id !== null && !timelineDatasets.has(id),
  );
  const [files, passing, models, usage, records] = await Promise.all([
    datasetBlobSizes(store, timelineDatasets, options),
    store.getObjects(passingDatasets, 'dataset'),
    store.getObjects(all.map((version) => version.model), 'model'),
    store.usage(),
    readMonitoringRecords(store),
  ]);
  const monitored = new Map<string, Map<string, number>>();
  for (const { record } of records) {
    const images = monitored.get(record.version) ?? monitored.set(record.version, new Map()).get(record.version)!;
    for (const { sha256, size } of record.predictions) images.set(sha256, size);
  }
  passing.forEach((dataset, id) => files.set(id, blobSizesOf(dataset.entries)));
  const holderOf = (id: string, version: Version): Holder => {
    const model = version.model === null ? null : models.get(version.model)!;
    return { files: files.get(version.dataset)!, weights: model && { sha256: model.weights, size: model.weightsSize }, monitoring: monitored.get(id) ?? new Map() };
  };

  const timeline = [...refs.timeline.keys()].map((id) => ({ id, holder: holderOf(id, versions.get(id)!) }));
  const workAndRun: Holder[] = [];
  if (refs.workspace !== null) workAndRun.push({ files: files.get(refs.workspace)!, weights: null, monitoring: new Map() });
  if (refs.run !== null && !refs.timeline.has(refs.run)) workAndRun.push(holderOf(refs.run, versions.get(refs.run)!));
  // An experiment's ref holds its result (data set and model) once done, its data set until then.
  const experimentHolders = experiments.map(
    (record): Holder => (record.result ? holderOf(record.result, versions.get(record.result)!) : { files: files.get(record.datasetId)!, weights: null, monitoring: new Map() }),
  );
  const holders = new Map<string, number>();
  for (const holder of [...timeline.map((entry) => entry.holder), ...workAndRun, ...experimentHolders]) {
    for (const [sha] of blobsOf(holder)) holders.set(sha, (holders.get(sha) ?? 0) + 1);
  }
  const heldElsewhere = new Set<string>();
  for (const holder of [...timeline.map((entry) => entry.holder), ...workAndRun]) for (const [sha] of blobsOf(holder)) heldElsewhere.add(sha);
  const onlyExperiments = new Map<string, number>();
  for (const holder of experimentHolders) for (const [sha, size] of blobsOf(holder)) if (!heldElsewhere.has(sha)) onlyExperiments.set(sha, size);

  return {
    versions: timeline.map(({ id, holder }) => {
      let uniqueBytes = 0;
      let sharedBytes = 0;
      for (const [sha, size] of blobsOf(holder)) {
        if (holders.get(sha) === 1) uniqueBytes += size;
        else sharedBytes += size;
      }
      const monitoringBytes = [...holder.monitoring.values()].reduce((total, size) => total + size, 0);
      return { id, uniqueBytes, sharedBytes, monitoringBytes };
    }),
    experiments: { count: experiments.length, uniqueBytes: [...onlyExperiments.values()].reduce((total, size) => total + size, 0) },
    totalBlobBytes: usage.blobBytes,
  };
}

/** Each blob a holder uses, once. */
function* blobsOf({ files, weights, monitoring }: Holder): Generator<[string, number]> {
  yield* files;
  if (weights !== null && !files.has(weights.sha256)) yield [weights.sha256, weights.size];
  for (const [sha, size] of monitoring) if (!files.has(sha) && sha !== weights?.sha256) yield [sha, size];
}
