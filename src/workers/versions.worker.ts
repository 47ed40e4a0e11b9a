// Versions: commit, tag, checkout, compare, delete + gc, verify. Reads of many
// data sets (timeline, storage, diff) stay off the main thread.
import * as Comlink from 'comlink';
import { openStore, type Store } from '../core/store';
import {
  checkout,
  commitVersion,
  deleteVersion,
  diffVersions,
  findCachedRun,
  listTimeline,
  RUN_REF,
  tagVersion,
  untag,
  versionStorage,
  versionsHolding,
  workspaceStatus,
  type CheckoutOptions,
  type CommitVersionInput,
  type RunInputs,
} from '../core/versions';
import { exportDvcProject, exportModelFiles } from '../core/exchange';
import { exportBundle, importBundle, pull, push } from '../core/remote';
import { assignStage, readRegistry, unassignStage, type AssignStageInput } from '../core/registry';
import { exportApp } from '../core/deploy';
import { monitoringOverview } from '../core/monitoring';
import type { TransferProgress } from '../core/format/progress';
import { cancelJob, runJob } from './lib/jobs';
import { openRemote, type RemoteTarget } from './lib/open-remote';
import { pacedProgress } from './lib/paced-progress';

const store = openStore();

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
  cachedRun: async (inputs: RunInputs) => findCachedRun(await store, inputs),
  /** Repro: make a cached run the current result instead of training again. */
  reuseRun: async (versionId: string) => (await store).setRef(RUN_REF, versionId),
  /** model.json + weights.bin + metadata.json of a version's (or the last run's) model. */
  async exportModel(versionId: string) {
    const files = await exportModelFiles(await store, versionId);
    return Comlink.transfer(files, [files['weights.bin'].buffer]);
  },
  /** The version as a DVC project zip (data, .dvc files, model, metrics, params, train.py). */
  async exportProject(versionId: string) {
    const zip = await exportDvcProject(await store, versionId);
    return Comlink.transfer(zip, [zip.buffer]);
  },
  /** Push: writes what the remote lacks of these versions (default all), the remote's index last. */
  push: (jobId: number, target: RemoteTarget, versionIds: string[] | undefined, onProgress: (progress: TransferProgress) => void) =>
    runJob(jobId, async (signal) => push(await store, openRemote(target), { versionIds, signal, onProgress: pacedProgress(onProgress) })),
  /** Pull: every version of the remote, verified, merged into the timeline. */
  pull: (jobId: number, target: RemoteTarget, onProgress: (progress: TransferProgress) => void) =>
    runJob(jobId, async (signal) => pull(await store, openRemote(target), { signal, onProgress: pacedProgress(onProgress) })),
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
  /** Rehashes everything; each damaged file is named with the versions it affects. */
  async verify() {
    const s = await store;
    const report = await s.verify();
    const damaged = [...report.corruptBlobs.map((blob) => blob.sha256), ...report.missingBlobData];
    return { report, affected: Object.fromEntries(await versionsHolding(s, damaged)) };
  },
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
