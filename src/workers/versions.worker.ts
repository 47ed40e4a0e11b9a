// Versions: commit, tag, checkout, compare, delete + gc, Clean up. Reads of many
// data sets (timeline, storage, diff) stay off the main thread.
import * as Comlink from 'comlink';
import { openStore, type Store } from '../core/store';
import {
  checkout,
  commitVersion,
  deleteVersion,
  diffFileList,
  diffVersions,
  findCachedRun,
  pageOfFileChanges,
  listTimeline,
  RUN_REF,
  tagVersion,
  untag,
  versionStorage,
  workspaceStatus,
  type CheckoutOptions,
  type CommitVersionInput,
  type FileChange,
  type FileChangeKind,
  type RunInputs,
} from '../core/versions';
import { exportDvcProject, exportModelFiles, exportOnnx } from '../core/exchange';
import { pullSpaceWarning } from '../core/dataset/space-needed';
import {
  applyExperiment,
  endExperiment,
  experimentTable,
  markInterrupted,
  queueExperiments,
  removeExperiment,
  requeueExperiment,
  startNextExperiment,
  type ExperimentRequest,
} from '../core/experiments';
import { pipelineStatus, readPipelineFacts, type PipelineQuery } from '../core/pipeline';
import { exportBundle, importBundle, pull, push } from '../core/remote';
import { assignStage, readRegistry, unassignStage, type AssignStageInput } from '../core/registry';
import { exportApp } from '../core/deploy';
import { monitoringOverview } from '../core/monitoring';
import type { TransferProgress } from '../core/format/progress';
import { cancelJob, runJob } from './lib/jobs';
import { openRemote, type RemoteTarget } from './lib/open-remote';
import { pacedProgress } from './lib/paced-progress';

const store = openStore();
/** The changed files of the last comparison paged through: versions are immutable, so it stays right. */
let fileList: { key: string; list: Promise<FileChange[]> } | null = null;

/** A versions operation reads refs, then writes what it decided: all of it under the store lock. */
async function underLock<T>(work: (store: Store) => Promise<T>): Promise<T> {
  return (await store).underLock(work);
}

const api = {
  async overview() {
    const s = await store;
    const [status, timeline, storage] = await Promise.all([workspaceStatus(s), listTimeline(s), versionStorage(s)]);
    return { status, timeline, storage };
  },
  commit: (input: CommitVersionInput) => underLock((s) => commitVersion(s, input)),
  tag: (versionId: string, tag: string, move: boolean) => underLock((s) => tagVersion(s, versionId, tag, { move })),
  untag: (tag: string) => underLock((s) => untag(s, tag)),
  checkout: (versionId: string, options: Omit<CheckoutOptions, 'signal' | 'now'>) => underLock((s) => checkout(s, versionId, options)),
  deleteVersion: (versionId: string, force: boolean) => underLock((s) => deleteVersion(s, versionId, { force })),
  diff: async (fromId: string, toId: string) => diffVersions(await store, fromId, toId),
  /** One page of the files that changed between two versions, of the kinds asked for. */
  async diffFiles(fromId: string, toId: string, kinds: FileChangeKind[], offset: number, limit: number) {
    const key = `${fromId} ${toId}`;
    if (fileList?.key !== key) fileList = { key, list: store.then((s) => diffFileList(s, fromId, toId)) };
    return pageOfFileChanges(await fileList.list, kinds, offset, limit);
  },
  cachedRun: async (inputs: RunInputs) => findCachedRun(await store, inputs),
  /** Repro: make a cached run the current result instead of training again. */
  reuseRun: async (versionId: string) => (await store).setRef(RUN_REF, versionId),
  /** model.json + weights.bin + metadata.json of a version's (or the last run's) model. */
  async exportModel(versionId: string) {
    const files = await exportModelFiles(await store, versionId);
    return Comlink.transfer(files, [files['weights.bin'].buffer]);
  },
  /** model.onnx of a version's (or the last run's) model; UnsupportedLayerError names a layer ONNX cannot take. */
  async exportOnnx(versionId: string) {
    const bytes = await exportOnnx(await store, versionId);
    return Comlink.transfer(bytes, [bytes.buffer]);
  },
  /** The version as a DVC project zip (data, .dvc files, model, metrics, params, train.py). */
  async exportProject(versionId: string) {
    const zip = await exportDvcProject(await store, versionId);
    return Comlink.transfer(zip, [zip.buffer]);
  },
  /** Push: writes what the remote lacks of these versions (default all), the remote's index last. */
  push: (jobId: number, target: RemoteTarget, versionIds: string[] | undefined, onProgress: (progress: TransferProgress) => void) =>
    runJob(jobId, async (signal) => push(await store, openRemote(target), { versionIds, signal, onProgress: pacedProgress(onProgress) })),
  /** Pull: every version of the remote, verified, merged into the timeline; warns first when its files may not fit. */
  pull: (jobId: number, target: RemoteTarget, onProgress: (progress: TransferProgress) => void, onWarning: (warning: string) => void) =>
    runJob(jobId, async (signal) =>
      pull(await store, openRemote(target), {
        signal,
        onProgress: pacedProgress(onProgress),
        onPlanned: async ({ bytes }) => {
          const warning = pullSpaceWarning(bytes, (await navigator.storage?.estimate?.().catch(() => null)) ?? {});
          if (warning) onWarning(warning);
        },
      }),
    ),
  /** A bundle zip of these versions (default all), with tags and HEAD. */
  exportBundle: (jobId: number, versionIds: string[] | undefined, onProgress: (progress: TransferProgress) => void) =>
    runJob(jobId, async (signal) => {
      const bundle = await exportBundle(await store, { versionIds, signal, onProgress: pacedProgress(onProgress) });
      return Comlink.transfer(bundle, [bundle.zip.buffer]);
    }),
  /** Restores (or merges) a bundle zip; a malformed or damaged one changes nothing. */
  importBundle: (jobId: number, file: File, onProgress: (progress: TransferProgress) => void) =>
    runJob(jobId, async (signal) => importBundle(await store, new Uint8Array(await file.arrayBuffer()), file.name, { signal, onProgress: pacedProgress(onProgress) })),
  cancel: (jobId: number) => cancelJob(jobId, 'Cancelled by the user.'),
  /** What no version, workspace, stash or run reaches (interrupted or refused work), found under the store lock. */
  unreachable: async () => (await store).unreachable(),
  /** Removes it (and every cached value when asked); returns what was freed. */
  cleanUp: async (dropCaches: boolean) => (await store).cleanUp({ dropCaches }),
  /** The pipeline's stages and their status, as dvc status would say it. */
  pipeline: async (query: PipelineQuery) => pipelineStatus(await readPipelineFacts(await store, query)),
  /** The Experiments table: every experiment with its result, and HEAD's run as the baseline. */
  experiments: async () => experimentTable(await store),
  queueExperiments: async (requests: ExperimentRequest[]) => queueExperiments(await store, requests),
  /** The queue runner (the tab holding the queue's Web Lock) takes the next run, or finds it in the run-cache. */
  startNextExperiment: async (runner: string) => startNextExperiment(await store, runner),
  endExperiment: async (id: string, status: 'failed' | 'cancelled', reason: string) => endExperiment(await store, id, status, reason),
  markInterrupted: async () => markInterrupted(await store),
  requeueExperiment: async (id: string) => requeueExperiment(await store, id),
  removeExperiment: async (id: string) => removeExperiment(await store, id),
  applyExperiment: async (id: string) => applyExperiment(await store, id),
  /** The model registry: each stage's version and every assignment. */
  registry: async () => readRegistry(await store),
  assign: (input: AssignStageInput) => underLock((s) => assignStage(s, input)),
  unassign: (stage: string, message?: string) => underLock((s) => unassignStage(s, { stage, ...(message ? { message } : {}) })),
  /** "Download app": the deployed page (built with Pawprint, precached like the app) with the version's model. */
  async exportApp(versionId: string, appVersion: string) {
    const zip = await exportApp(await store, versionId, await deployedPage(), { appVersion });
    return Comlink.transfer(zip, [zip.buffer]);
  },
  /** The kept batches, newest first, with what each is compared with. */
  monitoring: async () => monitoringOverview(await store),
  /** One batch whole: its predictions and errors. */
  monitoringRecord: async (id: string) => (await store).getObject(id, 'monitoring'),
};

/** The deployed page's files, from this build's deploy/ folder (tools/vite-deploy-app.mjs; offline from the service worker's cache). */
async function deployedPage(): Promise<Map<string, Uint8Array>> {
  const base = new URL(`${import.meta.env.BASE_URL}deploy/`, self.location.origin);
  const fetched = async (name: string) => {
    const response = await fetch(new URL(name, base));
    if (!response.ok) throw new Error(`The app's page (${name}) is missing from this build of Pawprint: ${response.status} ${response.statusText}.`);
    return response;
  };
  const names = (await (await fetched('files.json')).json()) as string[];
  return new Map(await Promise.all(names.map(async (name) => [name, new Uint8Array(await (await fetched(name)).arrayBuffer())] as const)));
}

export type VersionsWorkerApi = typeof api;
Comlink.expose(api);
