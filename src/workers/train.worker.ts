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
import { batchItems, nothingPredictedMessage, saveMonitoringRecord } from '../core/monitoring';
import type { DroppedFile } from '../core/dataset/types';
import { predictBatch } from '../core/monitoring/predict-batch';
import { gpuIsSoftware, probeBackends, probeRate, probeShape, type ProbeShape } from '../core/runs/probe';
import { RUN_REF } from '../core/runs/run-ref';
import { saveRun, type RunInfo } from '../core/runs/save-run';
import { saveExperimentResult } from '../core/experiments/save-result';
import { loadTrainingData, type TrainingData } from '../core/runs/training-data';
import { describeTrainingError } from '../core/runs/training-error';
import { backboneChoices, backboneFor, type BackboneChoice } from '../core/features/resolve-backbone';
import type { ExtractProgress } from '../core/features/extract-features';
import { loadExtractor, type FeatureExtractor } from '../core/features/extractor';
import { buildFeatureHead } from '../core/features/head';
import { importBackbone } from '../core/features/import-backbone';
import type { FeatureSource } from '../core/objects/types';
import { loadFeatureData } from '../core/runs/feature-data';
import { openStore, type Store } from '../core/store';
import { evaluateModel } from '../core/train/evaluate';
import { buildReferenceConvnet } from '../core/train/model';
import { DEFAULT_PARAMS, type TrainParams } from '../core/train/params';
import { loadSnapshot } from '../core/train/snapshot';
import { trainModel, type BatchProgress } from '../core/train/train';
import type { HistoryRow } from '../core/train/types';
import { activeWasmKernelPool } from '../core/train';
import { chooseWasmThreads, type WasmThreads } from '../core/runs/wasm-threads';
import { backendDevice, glRenderer } from './lib/backend-device';
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

/**
 * The model of the last run, for "Classify an image" and for keeping a stopped run; with
 * pretrained features `model` is the head and `features` the backbone layer that feeds it.
 */
let current: { runId: string | null; model: tf.LayersModel; classNames: string[]; imageSize: number; features?: FeatureSource } | null = null;
/** The last backbone cut loaded: kept across runs, since retraining a head on the same features is the common case. */
let extractorCache: { key: string; extractor: Promise<FeatureExtractor> } | null = null;
/** A model just trained, and (pretrained features) the backbone layer it reads. */
interface Trained {
  model: tf.LayersModel;
  features?: FeatureSource;
}

let stopped: { jobId: number; data: TrainingData; request: TrainRequest; trained: Trained; history: HistoryRow[]; info: Omit<RunInfo, 'evaluation' | 'stopped'> } | null = null;
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
  /**
   * A queued experiment's run: it trains on the experiment's data set, and its
   * result is stored as the experiment's (experiments/<id>), leaving the last
   * run and the model "Classify an image" uses alone. Stop discards it.
   */
  experiment?: { id: string; datasetId: string };
}

/**
 * The page's callbacks (Comlink proxies: each call is a message on its own
 * port). Phase, backend and epoch calls are awaited, so they reach the page
 * before the result does; batch and decode progress are fire-and-forget.
 */
export interface TrainEvents {
  onPhase(phase: 'preparing' | 'choosing-backend' | 'extracting' | 'training' | 'evaluating' | 'saving', detail?: string): void | Promise<void>;
  onDecode(done: number, total: number): void;
  /** Bottleneck features being computed for images the cache lacks (pretrained features). */
  onExtract(progress: ExtractProgress): void;
  /** The computed features did not fit in the browser's storage: this run uses them, the next computes them again. */
  onFeaturesNotKept(): void;
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

async function decideBackend(choice: BackendChoice, shape: ProbeShape, signal: AbortSignal): Promise<{ decision: BackendDecision; rates: ProbeRates; probed: ProbeShape }> {
  available ??= kernelsReady.then(() => availableBackends());
  const names = await available;
  if (choice !== 'auto') {
    if (!names.includes(choice)) throw new Error(`The ${choice} backend does not start in this browser; choose another one.`);
    return { decision: { backend: choice, reason: 'Chosen by you.' }, rates: {}, probed: shape };
  }
  const summary = await adapter;
  if (names.includes('wasm')) await startWasm(signal);
  const probed = probeShape(shape, gpuIsSoftware(summary, names, names.includes('webgl') ? glRenderer() : null));
  const rates = needsProbe(summary, names) ? await probeBackends(PROBED_BACKENDS.filter((name) => names.includes(name)), probed, signal) : {};
  return { decision: chooseBackend(summary, names, rates), rates, probed };
}

/**
 * The wasm kernels' threads for this run: all cores where the page is cross-origin isolated;
 * when Auto measured wasm, also one thread, both at the run's shape (threads pay off with
 * size), and the faster wins (on a machine busy with other work, one thread can be).
 */
async function settleWasmThreads(rates: ProbeRates, probed: ProbeShape, shape: ProbeShape, signal: AbortSignal): Promise<WasmThreads> {
  const pool = activeWasmKernelPool();
  const cores = pool.threadsWanted;
  pool.limitThreads(cores);
  const base = { isolated: globalThis.crossOriginIsolated === true, cores };
  if (cores === 1 || rates.wasm === undefined) return { ...base, threads: pool.threads };
  signal.throwIfAborted();
  const all = probed === shape ? rates.wasm : await probeRate(shape);
  signal.throwIfAborted();
  pool.limitThreads(1);
  const measured = { one: await probeRate(shape), all };
  pool.limitThreads(chooseWasmThreads(cores, measured));
  return { ...base, threads: pool.threads, measured };
}

async function finish(
  data: TrainingData,
  request: TrainRequest,
  trained: Trained,
  history: HistoryRow[],
  info: Omit<RunInfo, 'evaluation' | 'stopped'>,
  wasStopped: boolean,
  events: Pick<TrainEvents, 'onPhase'>,
) {
  const { model, features } = trained;
  await events.onPhase('evaluating');
  const evaluation = await evaluateModel(model, data.inputs, data.splits.validation, data.classNames.length, { batchSize: request.params.batchSize });
  await events.onPhase('saving');
  const input = { model, datasetId: data.datasetId, params: request.params, history, run: { ...info, evaluation, stopped: wasStopped }, ...(features ? { features } : {}) };
  if (request.experiment) {
    const saved = await saveExperimentResult(await store, request.experiment.id, input);
    // Ended elsewhere meanwhile (removed): nothing was stored.
    if (!saved) return { status: 'cancelled' as const };
    return { status: 'done' as const, runId: saved.runId, modelId: saved.modelId, version: saved.version, evaluation };
  }
  const saved = await (await store).underLock((locked) => saveRun(locked, { ...input, parent: request.parent }));
  current = { ...current!, runId: saved.runId };
  return { status: 'done' as const, runId: saved.runId, modelId: saved.modelId, version: saved.version, evaluation };
}

/** The backend a run trains on, chosen (Auto) or checked, and told to the page. */
async function startBackend(request: TrainRequest, imageSize: number, classes: number, events: TrainEvents, signal: AbortSignal) {
  await events.onPhase('choosing-backend');
  const shape = { imageSize, classes, batchSize: Math.min(request.params.batchSize, 16) };
  const { decision, rates, probed } = await decideBackend(request.backend, shape, signal);
  const started = decision.backend === 'wasm' ? await startWasm(signal) : await tryBackend(decision.backend);
  if (!started) throw new Error(`The ${decision.backend} backend stopped working; choose another one.`);
  const threads = decision.backend === 'wasm' ? await settleWasmThreads(rates, probed, shape, signal) : null;
  const adapterText = backendDevice(decision.backend, await adapter, threads);
  await events.onBackend({ ...decision, adapter: adapterText });
  return { decision, adapterText };
}

/** The reference convnet on the pixel cache: images first, then the backend. */
async function prepareConvnet(request: TrainRequest, events: TrainEvents, signal: AbortSignal) {
  const { params } = request;
  const data = await loadTrainingData(await store, params, decodeImage, {
    signal,
    onProgress: (done, total) => events.onDecode(done, total),
    ...(request.experiment ? { datasetId: request.experiment.datasetId } : {}),
  });
  const backend = await startBackend(request, params.imageSize, data.classNames.length, events, signal);
  const model = buildReferenceConvnet({ imageSize: params.imageSize, classes: data.classNames.length, seed: params.seed });
  return { data, backend, model, features: undefined, featureCache: undefined };
}

/**
 * The tutorial's bottleneck model: the backend first (the backbone runs on it), then
 * features from the cache, computing only those it lacks, then a fresh head. Auto measures
 * the convnet at its default size: the backbone's full size would make the probe itself slow.
 */
async function prepareHead(request: TrainRequest, events: TrainEvents, signal: AbortSignal) {
  const { params } = request;
  const s = await store;
  await backboneFor(s, params.backbone!); // stored before any feature or version names it
  const backend = await startBackend(request, DEFAULT_PARAMS.imageSize, 2, events, signal);
  const extractor = await extractorFor(s, { backbone: params.backbone!, layer: params.featureLayer!, size: params.imageSize });
  let extracting = false;
  const data = await loadFeatureData(s, params, async () => extractor, decodeImage, {
    signal,
    ...(request.experiment ? { datasetId: request.experiment.datasetId } : {}),
    onExtract: (progress) => {
      if (!extracting) void events.onPhase('extracting');
      extracting = true;
      events.onExtract(progress);
    },
    onNotKept: () => events.onFeaturesNotKept(),
  });
  const model = buildFeatureHead({ dims: data.dims, classes: data.classNames.length, seed: params.seed });
  const features: FeatureSource = { backbone: params.backbone!, layer: params.featureLayer!, pooling: extractor.pooling, size: extractor.size };
  return { data, backend, model, features, featureCache: { computed: data.extracted, cached: data.cached } };
}

/** One training run: data, backend, training, then (unless stopped) evaluation and saving. */
async function trainJob(jobId: number, request: TrainRequest, events: TrainEvents, signal: AbortSignal) {
  const { params } = request;
  try {
    await events.onPhase('preparing');
    const { data, backend, model, features, featureCache } =
      params.architecture === 'pretrained-features' ? await prepareHead(request, events, signal) : await prepareConvnet(request, events, signal);
    const { decision, adapterText } = backend;
    // An experiment's model is its own: the last run's stays loaded for "Classify an image".
    if (!request.experiment) {
      disposeCurrent();
      current = { runId: null, model, classNames: data.classNames, imageSize: params.imageSize, features };
    }
    const trained: Trained = { model, ...(features ? { features } : {}) };
    await events.onPhase('training');
    const result = await trainModel({
      model,
      inputs: data.inputs,
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
      ...(featureCache ? { featureCache } : {}),
    };
    if (request.experiment) {
      try {
        if (result.stopped) return { status: 'stopped' as const, epochs: result.history.length };
        return await finish(data, request, trained, result.history, info, false, events);
      } finally {
        model.dispose();
      }
    }
    if (result.stopped) {
      stopped = { jobId, data, request, trained, history: result.history, info };
      return { status: 'stopped' as const, epochs: result.history.length };
    }
    return await finish(data, request, trained, result.history, info, false, events);
  } catch (error) {
    if (signal.aborted) return { status: 'cancelled' as const };
    throw new Error(describeTrainingError(error));
  }
}

function disposeCurrent(): void {
  current?.model.dispose();
}

/** The backbone cut at the features' layer and fed their size, loaded once while the same one keeps being asked for. */
function extractorFor(s: Store, features: Pick<FeatureSource, 'backbone' | 'layer' | 'size'>): Promise<FeatureExtractor> {
  const key = JSON.stringify([features.backbone, features.layer, features.size ?? null]);
  if (extractorCache?.key !== key) {
    void extractorCache?.extractor.then((replaced) => replaced.dispose(), () => undefined);
    const extractor = backboneFor(s, features.backbone).then((backbone) => loadExtractor(backbone.record, backbone.weights, features.layer, features.size));
    extractor.catch(() => {
      if (extractorCache?.extractor === extractor) extractorCache = null;
    });
    extractorCache = { key, extractor };
  }
  return extractorCache.extractor;
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
      const { model, modelId, classNames, features } = monitored;
      const extractor = features ? await extractorFor(s, features) : undefined;
      const imageSize = extractor ? extractor.size : monitored.inputSize;
      const predict = (images: tf.Tensor4D) => model.predict(extractor ? extractor.features(images) : images) as tf.Tensor;
      const createdAt = new Date().toISOString();
      const started = performance.now();
      const { items, errors: unread } = await batchItems(request.files, classNames, signal);
      const { predictions, errors } = await predictBatch(predict, imageSize, items, decodeImage, { signal, onProgress: pacedProgress(onProgress) });
      const durationMs = performance.now() - started;
      // Listed as the files are named, wherever each was found out (reading or decoding).
      const named = sortByCodePoints([...unread, ...errors], (error) => error.name);
      if (predictions.length === 0) throw new Error(nothingPredictedMessage(request.name, named));
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
            errors: named,
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
    const { data, request, trained, history, info } = stopped;
    stopped = null;
    const outcome = await finish(data, request, trained, history, info, true, events);
    // Only the Train button's runs are kept after Stop (an experiment's Stop discards it).
    if (outcome.status !== 'done') throw new Error('The stopped run could not be kept.');
    return outcome;
  },

  discardStopped(jobId: number) {
    if (stopped?.jobId === jobId) stopped = null;
  },

  /** The backbones for "Pretrained features": the bundled one (its lazy chunk loads now), then imported ones. */
  async backbones(): Promise<BackboneChoice[]> {
    return backboneChoices(await store);
  },

  /** "Import backbone": model.json and its weight files, checked (nothing stored when refused), then stored; its id. */
  async importBackbone(files: File[], inputRange: [number, number]): Promise<string> {
    const bytes = new Map(await Promise.all(files.map(async (file) => [file.name, new Uint8Array(await file.arrayBuffer())] as const)));
    const { id } = await importBackbone(await store, bytes, inputRange);
    return id;
  },

  stop(jobId: number) {
    cancelJob(jobId, 'Stopped by the user.');
  },

  /** "Import model": the three files of "Download model", checked and made the last run (see importModel). */
  async importModel(files: Record<ModelFileName, Blob>) {
    const [modelJson, weights, metadata] = await Promise.all([files['model.json'].text(), files['weights.bin'].arrayBuffer(), files['metadata.json'].text()]);
    const imported = await importModel(await store, { 'model.json': modelJson, 'weights.bin': new Uint8Array(weights), 'metadata.json': metadata });
    disposeCurrent();
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
      const run = await s.getObject(runId);
      if (run.kind !== 'version' || !run.model) throw new Error('The last run has no model.');
      const model = await s.getObject(run.model);
      if (model.kind !== 'model') throw new Error('The last run points at something that is not a model.');
      const weights = new Uint8Array(await (await s.getBlob(model.weights)).arrayBuffer());
      const imageSize = model.features ? (await extractorFor(s, model.features)).size : model.inputShape[0]!;
      disposeCurrent();
      current = { runId, model: await loadSnapshot(model, weights), classNames: model.classNames, imageSize, features: model.features };
    }
    const { model, features } = current;
    const extractor = features ? await extractorFor(s, features) : undefined;
    const decoded = await decodeImage(image, current.imageSize);
    return classifyImage((images) => model.predict(extractor ? extractor.features(images) : images) as tf.Tensor, decoded.rgba, current.imageSize, current.classNames);
  },
};

export type TrainWorkerApi = typeof api;
Comlink.expose(api);
