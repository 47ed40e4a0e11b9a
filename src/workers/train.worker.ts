// tfjs lives here: backend start-up, training, evaluation and "Classify an image".
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { describeAdapter } from '../core/runtime/adapter';
import { activateBackend, availableBackends, tryBackend } from '../core/runtime/backend';
import type { BackendName } from '../core/runtime/backend-names';
import { chooseBackend, needsProbe, PROBED_BACKENDS, type BackendChoice, type BackendDecision, type ProbeRates } from '../core/runs/choose-backend';
import { importModel } from '../core/exchange/import-model';
import type { ModelFileName } from '../core/exchange/pick-model-files';
import { classifyImage } from '../core/runs/classify';
import { loadVersionModel, type LoadedModel } from '../core/runs/load-version-model';
import { batchItems, saveMonitoringRecord } from '../core/monitoring';
import type { DroppedFile } from '../core/dataset/types';
import { predictBatch } from '../core/monitoring/predict-batch';
import { probeBackends, probeRate, type ProbeShape } from '../core/runs/probe';
import { RUN_REF } from '../core/runs/run-ref';
import { saveRun, type RunInfo } from '../core/runs/save-run';
import { loadTrainingData, type TrainingData } from '../core/runs/training-data';
import { describeTrainingError } from '../core/runs/training-error';
import { openStore } from '../core/store';
import { evaluateModel } from '../core/train/evaluate';
import { buildReferenceConvnet } from '../core/train/model';
import type { TrainParams } from '../core/train/params';
import { trainModel, type BatchProgress } from '../core/train/train';
import type { HistoryRow } from '../core/train/types';
import { activeWasmKernelPool } from '../core/train';
import { chooseWasmThreads, type WasmThreads } from '../core/runs/wasm-threads';
import { backendDevice } from './lib/backend-device';
import { decodeImage } from './lib/decode-image';
import { cancelJob, runJob } from './lib/jobs';
import { sortByCodePoints } from '../core/hash/compare-code-points';
import { pacedProgress } from './lib/paced-progress';
import { registerBundledKernels, useBundledWasm } from './lib/wasm-paths';

useBundledWasm();
const kernelsReady = registerBundledKernels();
const store = openStore();
const adapter = describeAdapter(navigator.gpu);
let available: Promise<BackendName[]> | null = null;

/** The model of the last run, for "Classify an image" and for keeping a stopped run. */
let current: { runId: string | null; model: tf.LayersModel; classNames: string[]; imageSize: number } | null = null;
let stopped: { jobId: number; data: TrainingData; request: TrainRequest; history: HistoryRow[]; info: Omit<RunInfo, 'evaluation' | 'stopped'> } | null = null;
/** A training run is in progress: batch predict waits (both would share tfjs' backend). */
let training = false;
/** The model batch predict used last, kept for the next batch of the same version. */
let monitored: LoadedModel | null = null;
let monitoredOn = '';

export interface TrainRequest {
  params: TrainParams;
  backend: BackendChoice;
  parent: string | null;
  appVersion: string;
}

/**
 * The page's callbacks (Comlink proxies: each call is a message on its own
 * port). Phase, backend and epoch calls are awaited, so they reach the page
 * before the result does; batch and decode progress are fire-and-forget.
 */
export interface TrainEvents {
  onPhase(phase: 'preparing' | 'choosing-backend' | 'training' | 'evaluating' | 'saving', detail?: string): void | Promise<void>;
  onDecode(done: number, total: number): void;
  onBackend(decision: BackendDecision & { adapter: string }): void | Promise<void>;
  onBatch(progress: BatchProgress): void;
  onEpoch(row: HistoryRow): void | Promise<void>;
}

/** Starts the wasm backend with every helper thread of Pawprint's kernels ready; false if wasm does not start. */
async function startWasm(signal?: AbortSignal): Promise<boolean> {
  await kernelsReady;
  if (!(await tryBackend('wasm'))) return false;
  await activeWasmKernelPool().whenReady(signal);
  return true;
}

async function decideBackend(choice: BackendChoice, shape: ProbeShape, signal: AbortSignal): Promise<{ decision: BackendDecision; rates: ProbeRates }> {
  available ??= kernelsReady.then(() => availableBackends());
  const names = await available;
  if (choice !== 'auto') {
    if (!names.includes(choice)) throw new Error(`The ${choice} backend does not start in this browser; choose another one.`);
    return { decision: { backend: choice, reason: 'Chosen by you.' }, rates: {} };
  }
  const summary = await adapter;
  if (names.includes('wasm')) await startWasm(signal);
  const rates = needsProbe(summary, names) ? await probeBackends(PROBED_BACKENDS.filter((name) => names.includes(name)), shape, signal) : {};
  return { decision: chooseBackend(summary, names, rates), rates };
}

/**
 * The wasm kernels' threads for this run: all cores where the page is cross-origin isolated;
 * when Auto measured wasm on all of them, also one thread, and the faster wins (on a machine
 * busy with other work, one thread can be).
 */
async function settleWasmThreads(rates: ProbeRates, shape: ProbeShape, signal: AbortSignal): Promise<WasmThreads> {
  const pool = activeWasmKernelPool();
  const cores = pool.threadsWanted;
  pool.limitThreads(cores);
  const base = { isolated: globalThis.crossOriginIsolated === true, cores };
  if (cores === 1 || rates.wasm === undefined) return { ...base, threads: pool.threads };
  signal.throwIfAborted();
  pool.limitThreads(1);
  const measured = { one: await probeRate(shape), all: rates.wasm };
  pool.limitThreads(chooseWasmThreads(cores, measured));
  return { ...base, threads: pool.threads, measured };
}

async function finish(data: TrainingData, request: TrainRequest, history: HistoryRow[], info: Omit<RunInfo, 'evaluation' | 'stopped'>, wasStopped: boolean, events: Pick<TrainEvents, 'onPhase'>) {
  const model = current!.model;
  await events.onPhase('evaluating');
  const evaluation = await evaluateModel(model, data.cache, data.splits.validation, data.classNames.length, { batchSize: request.params.batchSize });
  await events.onPhase('saving');
  const saved = await (await store).underLock((locked) =>
    saveRun(locked, {
      model,
      datasetId: data.datasetId,
      parent: request.parent,
      params: request.params,
      history,
      run: { ...info, evaluation, stopped: wasStopped },
    }),
  );
  current = { ...current!, runId: saved.runId };
  return { status: 'done' as const, runId: saved.runId, modelId: saved.modelId, version: saved.version, evaluation };
}

/** One training run: data, backend, training, then (unless stopped) evaluation and saving. */
async function trainJob(jobId: number, request: TrainRequest, events: TrainEvents, signal: AbortSignal) {
  const { params } = request;
  try {
    await events.onPhase('preparing');
    const data = await loadTrainingData(await store, params, decodeImage, { signal, onProgress: (done, total) => events.onDecode(done, total) });
    await events.onPhase('choosing-backend');
    const shape = { imageSize: params.imageSize, classes: data.classNames.length, batchSize: Math.min(params.batchSize, 16) };
    const { decision, rates } = await decideBackend(request.backend, shape, signal);
    const started = decision.backend === 'wasm' ? await startWasm(signal) : await tryBackend(decision.backend);
    if (!started) throw new Error(`The ${decision.backend} backend stopped working; choose another one.`);
    const threads = decision.backend === 'wasm' ? await settleWasmThreads(rates, shape, signal) : null;
    const adapterText = backendDevice(decision.backend, await adapter, threads);
    await events.onBackend({ ...decision, adapter: adapterText });
    current?.model.dispose();
    const model = buildReferenceConvnet({ imageSize: params.imageSize, classes: data.classNames.length, seed: params.seed });
    current = { runId: null, model, classNames: data.classNames, imageSize: params.imageSize };
    await events.onPhase('training');
    const result = await trainModel({
      model,
      cache: data.cache,
      train: data.splits.train,
      validation: data.splits.validation,
      classes: data.classNames.length,
      params,
      signal,
      onBatch: (progress) => events.onBatch(progress),
      onEpoch: (row) => void events.onEpoch(row),
    });
    const info = {
      backend: decision.backend,
      adapter: adapterText,
      appVersion: request.appVersion,
      seed: params.seed,
      durationMs: result.durationMs,
      imagesPerSecond: result.imagesPerSecond,
      heldOut: data.splits.heldOut,
      classNames: data.classNames,
      deterministic: decision.backend === 'cpu' || decision.backend === 'wasm',
    };
    if (result.stopped) {
      stopped = { jobId, data, request, history: result.history, info };
      return { status: 'stopped' as const, epochs: result.history.length };
    }
    return await finish(data, request, result.history, info, false, events);
  } catch (error) {
    if (signal.aborted) return { status: 'cancelled' as const };
    throw new Error(describeTrainingError(error));
  }
}

const api = {
  /** Starts tfjs on the preferred backend, for the status line. */
  async start() {
    await kernelsReady;
    const backend = await activateBackend();
    return { backend, adapter: await adapter };
  },

  async train(jobId: number, request: TrainRequest, events: TrainEvents) {
    training = true;
    try {
      return await runJob(jobId, (signal) => trainJob(jobId, request, events, signal));
    } finally {
      training = false;
    }
  },

  /**
   * "Batch predict": every image of the drop through a version's model, one at a time, kept as
   * a monitoring record of that version (the images stored with it).
   */
  batchPredict(jobId: number, request: { versionId: string; name: string; files: DroppedFile[] }, onProgress: (progress: { done: number; total: number }) => void) {
    return runJob(jobId, async (signal) => {
      if (training) throw new Error('A model is training: batch predict when it has finished.');
      await kernelsReady;
      const s = await store;
      // A model's weights live on the backend it was loaded on: another backend gets its own copy.
      if (monitored?.versionId !== request.versionId || monitoredOn !== tf.getBackend()) {
        monitored?.model.dispose();
        monitored = null;
        monitored = await loadVersionModel(s, request.versionId);
        monitoredOn = tf.getBackend();
      }
      const { model, modelId, classNames, imageSize } = monitored;
      const createdAt = new Date().toISOString();
      const started = performance.now();
      const { items, errors: unread } = await batchItems(request.files, classNames, signal);
      const { predictions, errors } = await predictBatch(model, imageSize, items, decodeImage, { signal, onProgress: pacedProgress(onProgress) });
      const durationMs = performance.now() - started;
      const saved = await s.underLock((locked) =>
        saveMonitoringRecord(
          locked,
          {
            version: request.versionId,
            model: modelId,
            name: request.name,
            createdAt,
            backend: tf.getBackend(),
            classNames,
            predictions,
            // Listed as the files are named, wherever each was found out (reading or decoding).
            errors: sortByCodePoints([...unread, ...errors], (error) => error.name),
            durationMs,
          },
          signal,
        ),
      );
      return saved;
    });
  },

  /** Benchmarks (window.pawprint.useBackend): classify and batch predict on this backend from now on; false if it does not start. */
  async useBackend(name: BackendName) {
    await kernelsReady;
    return name === 'wasm' ? startWasm() : tryBackend(name);
  },

  /** After Stop: keep the finished epochs as the result (evaluated and stored like a full run). */
  async keepStopped(jobId: number, events: Pick<TrainEvents, 'onPhase'>) {
    if (stopped?.jobId !== jobId || stopped.history.length === 0) throw new Error('There are no finished epochs to keep.');
    const { data, request, history, info } = stopped;
    stopped = null;
    return finish(data, request, history, info, true, events);
  },

  discardStopped(jobId: number) {
    if (stopped?.jobId === jobId) stopped = null;
  },

  stop(jobId: number) {
    cancelJob(jobId, 'Stopped by the user.');
  },

  /** "Import model": the three files of "Download model", checked and made the last run (see importModel). */
  async importModel(files: Record<ModelFileName, Blob>) {
    const [modelJson, weights, metadata] = await Promise.all([files['model.json'].text(), files['weights.bin'].arrayBuffer(), files['metadata.json'].text()]);
    const imported = await importModel(await store, { 'model.json': modelJson, 'weights.bin': new Uint8Array(weights), 'metadata.json': metadata });
    current?.model.dispose();
    current = { runId: imported.runId, model: imported.model, classNames: imported.classNames, imageSize: imported.imageSize };
    // Stopped epochs belonged to the model just replaced: they can no longer be kept.
    stopped = null;
    return { runId: imported.runId, version: imported.version };
  },

  /**
   * Classifies a picked image with the last run's model. The run ref is read every time:
   * a checkout, or another tab's training or import, may have moved it since the model was loaded.
   * A model still being trained or waiting for Keep/Discard (runId null) is left alone.
   */
  async classify(image: Blob) {
    await kernelsReady;
    const s = await store;
    const runId = await s.getRef(RUN_REF);
    if (!runId) throw new Error('Train a model first.');
    if (current?.runId !== runId && current?.runId !== null) {
      const loaded = await loadVersionModel(s, runId);
      current?.model.dispose();
      current = { runId, model: loaded.model, classNames: loaded.classNames, imageSize: loaded.imageSize };
    }
    const decoded = await decodeImage(image, current.imageSize);
    return classifyImage(current.model, decoded.rgba, current.imageSize, current.classNames);
  },
};

export type TrainWorkerApi = typeof api;
Comlink.expose(api);
