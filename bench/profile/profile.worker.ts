// bench:train's profiling worker: where the time of one training step of the reference convnet
// goes on each tfjs backend, measured in a worker as the app trains (Pawprint's wasm kernels wait
// for their helper threads with Atomics, which a page's main thread may not), on the same tfjs
// build and the same model code, imported from src/ unchanged.
//
//   profileBackend('wasm', { size: 28, batch: 32, classes: 2, threads: 1 }) → ProfileResult
//   (index.html's page script exposes it as window.profileBackend)
//
// 1. steps: median wall time of model.trainOnBatch on random data after one warm-up step
//    (shader compilation, wasm start-up), so the steady-state training rate without the app's
//    data pipeline;
// 2. tf.profile of one step: every kernel launched, with its time where the backend can tell
//    (wasm, cpu: wall time of each synchronous kernel; webgpu: GPU timestamps when Chromium
//    grants 'timestamp-query'; webgl without timer queries: tfjs reads each output back, so a
//    kernel's figure includes one readback);
// 3. the big kernels alone at the model's shapes: each run `reps` times after a warm-up, then
//    one readback of the last output (GPU queues run in order), divided by `reps`;
// 4. the fixed costs around a step: reading a scalar back, uploading one batch.
import * as Comlink from 'comlink';
import * as tf from '@tensorflow/tfjs';
import { tryBackend } from '../../src/core/runtime/backend';
import { activeWasmKernelPool } from '../../src/core/train';
import type { BackendName } from '../../src/core/runtime/backend-names';
import { buildReferenceConvnet, compileForTraining } from '../../src/core/train/model';
import { BUNDLED_BACKBONE, loadBundledBackbone } from '../../src/core/features/bundled-backbone';
import { loadExtractor } from '../../src/core/features/extractor';
import { registerBundledKernels, useBundledWasm } from '../../src/workers/lib/wasm-paths';

useBundledWasm();
const kernelsReady = registerBundledKernels();

export interface ProfileOptions {
  size?: number;
  batch?: number;
  classes?: number;
  /** Timed training steps after the warm-up. */
  steps?: number;
  /** Runs of each isolated kernel. */
  reps?: number;
  /** Skip tf.profile (it can be slow where every kernel is read back). */
  skipProfile?: boolean;
  /** Skip the big kernels alone (step rates only). */
  skipKernels?: boolean;
  /** wasm: threads the kernels run on (default: all the page allows). */
  threads?: number;
}

export interface KernelSummary {
  name: string;
  count: number;
  /** Total over the step, ms; null when the backend gave no time. */
  ms: number | null;
}

export interface ProfileResult {
  backend: string;
  ok: boolean;
  error?: string;
  firstStepMs: number;
  stepMs: number[];
  medianStepMs: number;
  trainImagesPerSecond: number;
  /** model.predict on one batch + reading the probabilities back. */
  predictBatchMs: number;
  inferenceImagesPerSecond: number;
  /** One image: predict + read back. */
  predictOneMs: number;
  /** Adding 1 to a scalar and reading it back: the fixed cost of one readback. */
  readbackMs: number;
  /** Uploading one batch of images (float32) and summing it, minus one readback. */
  uploadMs: number;
  profile: { kernels: KernelSummary[]; kernelCount: number; timedMs: number; wallMs: number; timer: string } | null;
  isolated: { op: string; shapes: string; ms: number; gflop: number }[];
  /** What the backend runs with: wasm SIMD/threads, the WebGL renderer, the WebGPU adapter. */
  flags: Record<string, string | number | boolean>;
  memory: { numTensorsBefore: number; numTensorsAfter: number };
}

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

/** tf.profile's kernels by name: calls and time each (null where the backend gave none), the most time first. */
function summarize(profiled: { name: string; kernelTimeMs: unknown }[]): { kernels: KernelSummary[]; timedMs: number; timed: number } {
  const byName = new Map<string, KernelSummary>();
  let timedMs = 0;
  let timed = 0;
  for (const kernel of profiled) {
    const summary = byName.get(kernel.name) ?? { name: kernel.name, count: 0, ms: null };
    summary.count += 1;
    const ms = kernel.kernelTimeMs;
    if (typeof ms === 'number' && Number.isFinite(ms)) {
      summary.ms = (summary.ms ?? 0) + ms;
      timedMs += ms;
      timed += 1;
    }
    byName.set(kernel.name, summary);
  }
  return { kernels: [...byName.values()].sort((a, b) => (b.ms ?? -1) - (a.ms ?? -1) || b.count - a.count), timedMs, timed };
}

async function timeKernel(fn: () => tf.Tensor, reps: number): Promise<number> {
  const warm = fn();
  await warm.data();
  warm.dispose();
  const outputs: tf.Tensor[] = [];
  const started = performance.now();
  for (let i = 0; i < reps; i++) outputs.push(fn());
  await outputs.at(-1)!.data();
  const ms = (performance.now() - started) / reps;
  tf.dispose(outputs);
  return ms;
}

/**
 * Reading 16 KB back from a tensor the backend made itself (small tensors live on the CPU
 * under tfjs' CPU forwarding, so a scalar would not touch the GPU): one tiny kernel + one readback.
 */
async function readbackMs(samples = 9): Promise<number> {
  const base = tf.fill([64, 64], 1);
  const times: number[] = [];
  for (let i = 0; i < samples + 1; i++) {
    const started = performance.now();
    const y = base.add(i);
    await y.data();
    y.dispose();
    if (i > 0) times.push(performance.now() - started);
  }
  base.dispose();
  return median(times);
}

/** The reference convnet's big kernels at input size `size`, batch `batch` ('valid' 3×3 convs, 2×2 pools). */
type KernelSpec = { op: string; shapes: string; /** Multiply-adds × 2. */ flop: number; make: () => { run: () => tf.Tensor; inputs: tf.Tensor[] } };

function bigKernels(size: number, batch: number, classes: number): KernelSpec[] {
  const engine = tf.engine();
  const specs: KernelSpec[] = [];
  let side = size;
  let channels = 3;
  const attrs = (extra: Record<string, unknown>) => extra as unknown as tf.NamedAttrMap;
  for (const [index, filters] of [32, 64, 128].entries()) {
    const h = side;
    const cin = channels;
    const out = h - 2;
    const pooled = Math.floor(out / 2);
    const layer = `conv${index + 1}`;
    // Forward, weight gradient and input gradient of a conv all do the same multiply-adds.
    const convFlop = 2 * batch * out * out * filters * 9 * cin;
    specs.push({
      op: `${layer} forward (FusedConv2D + bias + relu)`,
      shapes: `[${batch},${h},${h},${cin}] * [3,3,${cin},${filters}]`,
      flop: convFlop,
      make: () => {
        const x = tf.randomUniform([batch, h, h, cin]) as tf.Tensor4D;
        const w = tf.randomNormal([3, 3, cin, filters]) as tf.Tensor4D;
        const b = tf.zeros([filters]);
        return { run: () => tf.fused.conv2d({ x, filter: w, strides: 1, pad: 'valid', bias: b, activation: 'relu' }), inputs: [x, w, b] };
      },
    });
    specs.push({
      op: `${layer} Conv2DBackpropFilter (weight gradient)`,
      shapes: `x [${batch},${h},${h},${cin}], dy [${batch},${out},${out},${filters}]`,
      flop: convFlop,
      make: () => {
        const x = tf.randomUniform([batch, h, h, cin]);
        const dy = tf.randomNormal([batch, out, out, filters]);
        const run = () =>
          engine.runKernel(tf.Conv2DBackpropFilter, { x, dy }, attrs({ strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], filterShape: [3, 3, cin, filters] })) as tf.Tensor;
        return { run, inputs: [x, dy] };
      },
    });
    if (index > 0) {
      specs.push({
        op: `${layer} Conv2DBackpropInput (input gradient)`,
        shapes: `dy [${batch},${out},${out},${filters}], w [3,3,${cin},${filters}]`,
        flop: convFlop,
        make: () => {
          const dy = tf.randomNormal([batch, out, out, filters]);
          const w = tf.randomNormal([3, 3, cin, filters]);
          const run = () =>
            engine.runKernel(tf.Conv2DBackpropInput, { dy, filter: w }, attrs({ strides: [1, 1], pad: 'valid', dataFormat: 'NHWC', dilations: [1, 1], inputShape: [batch, h, h, cin] })) as tf.Tensor;
          return { run, inputs: [dy, w] };
        },
      });
    }
    specs.push({
      op: `pool${index + 1} MaxPool`,
      shapes: `[${batch},${out},${out},${filters}]`,
      flop: batch * pooled * pooled * filters * 4,
      make: () => {
        const x = tf.randomUniform([batch, out, out, filters]) as tf.Tensor4D;
        return { run: () => tf.maxPool(x, 2, 2, 'valid'), inputs: [x] };
      },
    });
    specs.push({
      op: `pool${index + 1} MaxPoolGrad`,
      shapes: `[${batch},${out},${out},${filters}] → [${batch},${pooled},${pooled},${filters}]`,
      flop: batch * pooled * pooled * filters * 4,
      make: () => {
        const input = tf.randomUniform([batch, out, out, filters]) as tf.Tensor4D;
        const output = tf.maxPool(input, 2, 2, 'valid');
        const dy = tf.randomNormal(output.shape);
        const run = () => engine.runKernel(tf.MaxPoolGrad, { dy, input, output }, attrs({ filterSize: [2, 2], strides: [2, 2], pad: 'valid' })) as tf.Tensor;
        return { run, inputs: [input, output, dy] };
      },
    });
    side = pooled;
    channels = filters;
  }
  const flat = side * side * channels;
  specs.push({
    op: 'dense forward + both gradients (3 MatMul)',
    shapes: `[${batch},${flat}] * [${flat},128]`,
    flop: 3 * 2 * batch * flat * 128,
    make: () => {
      const x = tf.randomUniform([batch, flat]) as tf.Tensor2D;
      const w = tf.randomNormal([flat, 128]) as tf.Tensor2D;
      const dy = tf.randomNormal([batch, 128]) as tf.Tensor2D;
      return { run: () => tf.tidy(() => tf.concat([tf.matMul(x, w).flatten(), tf.matMul(x, dy, true, false).flatten(), tf.matMul(dy, w, false, true).flatten()])), inputs: [x, w, dy] };
    },
  });
  specs.push({
    op: 'output layer + softmax',
    shapes: `[${batch},128] * [128,${classes}]`,
    flop: 2 * batch * 128 * classes,
    make: () => {
      const x = tf.randomUniform([batch, 128]) as tf.Tensor2D;
      const w = tf.randomNormal([128, classes]) as tf.Tensor2D;
      return { run: () => tf.tidy(() => tf.softmax(tf.matMul(x, w))), inputs: [x, w] };
    },
  });
  return specs;
}

async function backendFlags(name: BackendName): Promise<Record<string, string | number | boolean>> {
  const flags: Record<string, string | number | boolean> = { crossOriginIsolated: self.crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency };
  if (name === 'wasm') {
    flags.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
    flags.multithread = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  }
  if (name === 'webgl') {
    flags.webglVersion = tf.env().getNumber('WEBGL_VERSION');
    flags.timerQueries = tf.env().getNumber('WEBGL_DISJOINT_QUERY_TIMER_EXTENSION_RELIABLE') > 0;
    const gl = new OffscreenCanvas(1, 1).getContext('webgl2');
    const info = gl?.getExtension('WEBGL_debug_renderer_info');
    flags.renderer = gl ? String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER)) : 'none';
  }
  if (name === 'webgpu') {
    const adapter = await navigator.gpu?.requestAdapter();
    if (adapter) {
      flags.adapter = [adapter.info.vendor, adapter.info.architecture].filter(Boolean).join(' ');
      flags.isFallbackAdapter = adapter.info.isFallbackAdapter;
      flags.timestampQuery = adapter.features.has('timestamp-query');
    }
  }
  return flags;
}

async function profileBackend(name: BackendName, options: ProfileOptions = {}): Promise<ProfileResult> {
  const { size = 28, batch = 32, classes = 2, steps = 5, reps = 5, skipProfile = false, skipKernels = false, threads } = options;
  const result: ProfileResult = {
    backend: name,
    ok: false,
    firstStepMs: NaN,
    stepMs: [],
    medianStepMs: NaN,
    trainImagesPerSecond: NaN,
    predictBatchMs: NaN,
    inferenceImagesPerSecond: NaN,
    predictOneMs: NaN,
    readbackMs: NaN,
    uploadMs: NaN,
    profile: null,
    isolated: [],
    flags: {},
    memory: { numTensorsBefore: 0, numTensorsAfter: 0 },
  };
  await kernelsReady;
  if (!(await tryBackend(name))) return { ...result, error: `the ${name} backend does not start here` };
  if (name === 'wasm') {
    const pool = activeWasmKernelPool();
    await pool.whenReady();
    pool.limitThreads(threads ?? pool.threadsWanted);
  }
  result.memory.numTensorsBefore = tf.memory().numTensors;
  result.flags = await backendFlags(name);
  if (name === 'wasm') result.flags.threads = activeWasmKernelPool().threads;
  const model = buildReferenceConvnet({ imageSize: size, classes, seed: 1 });
  compileForTraining(model, 1e-3);
  const xs = tf.randomUniform([batch, size, size, 3]);
  const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from({ length: batch }, (_, i) => i % classes), 'int32'), classes));
  try {
    let started = performance.now();
    await model.trainOnBatch(xs, ys);
    result.firstStepMs = performance.now() - started;
    for (let i = 0; i < steps; i++) {
      started = performance.now();
      await model.trainOnBatch(xs, ys);
      result.stepMs.push(performance.now() - started);
    }
    result.medianStepMs = median(result.stepMs);
    result.trainImagesPerSecond = batch / (result.medianStepMs / 1000);

    const predictTimes: number[] = [];
    for (let i = 0; i < 4; i++) {
      started = performance.now();
      const out = model.predict(xs) as tf.Tensor;
      await out.data();
      out.dispose();
      if (i > 0) predictTimes.push(performance.now() - started);
    }
    result.predictBatchMs = median(predictTimes);
    result.inferenceImagesPerSecond = batch / (result.predictBatchMs / 1000);
    const one = xs.slice([0, 0, 0, 0], [1, size, size, 3]);
    const oneTimes: number[] = [];
    for (let i = 0; i < 6; i++) {
      started = performance.now();
      const out = model.predict(one) as tf.Tensor;
      await out.data();
      out.dispose();
      if (i > 0) oneTimes.push(performance.now() - started);
    }
    one.dispose();
    result.predictOneMs = median(oneTimes);

    result.readbackMs = await readbackMs();
    const pixels = new Float32Array(batch * size * size * 3).map((_, i) => (i % 255) / 255);
    const uploads: number[] = [];
    for (let i = 0; i < 4; i++) {
      started = performance.now();
      const t = tf.tensor4d(pixels, [batch, size, size, 3]);
      const s = t.sum();
      await s.data();
      tf.dispose([t, s]);
      if (i > 0) uploads.push(performance.now() - started);
    }
    result.uploadMs = Math.max(0, median(uploads) - result.readbackMs);

    if (!skipProfile) {
      started = performance.now();
      const info = await tf.profile(async () => {
        await model.trainOnBatch(xs, ys);
        return [];
      });
      const wallMs = performance.now() - started;
      const { kernels, timedMs, timed } = summarize(info.kernels);
      const timer = name === 'webgpu' ? (timed && timedMs > 0 ? 'GPU timestamps' : 'none (no timestamp-query)') : name === 'webgl' ? (tf.env().getNumber('WEBGL_DISJOINT_QUERY_TIMER_EXTENSION_RELIABLE') > 0 ? 'GL timer queries' : 'wall time with a readback per kernel') : 'wall time per kernel';
      result.profile = {
        kernels,
        kernelCount: info.kernels.length,
        timedMs,
        wallMs,
        timer,
      };
    }

    for (const spec of skipKernels ? [] : bigKernels(size, batch, classes)) {
      const { run, inputs } = spec.make();
      try {
        const ms = await timeKernel(run, reps);
        result.isolated.push({ op: spec.op, shapes: spec.shapes, ms, gflop: spec.flop / 1e9 });
      } catch (error) {
        result.isolated.push({ op: `${spec.op} (failed: ${(error as Error).message})`, shapes: spec.shapes, ms: NaN, gflop: spec.flop / 1e9 });
      } finally {
        tf.dispose(inputs);
      }
    }
    result.ok = true;
  } catch (error) {
    result.error = (error as Error).stack ?? String(error);
  } finally {
    tf.dispose([xs, ys]);
    model.optimizer?.dispose();
    model.dispose();
    result.memory.numTensorsAfter = tf.memory().numTensors;
  }
  return result;
}

export interface FeatureProfile {
  layer: string;
  dims: number;
  batchMs: number[];
  imagesPerSecond: number;
  kernels: KernelSummary[];
  flags: Record<string, string | number | boolean>;
}

/**
 * bench:transfer's compute-only figure: the bundled backbone cut at `layer` on random
 * [batch, size, size, 3] images on wasm (as extractFeatures calls it, decoding left out):
 * median batch time after a warm-up, and tf.profile of one batch.
 */
async function profileFeatures(layer: string, options: { batch?: number; batches?: number; threads?: number; size?: number } = {}): Promise<FeatureProfile> {
  const { batch = 32, batches = 5, threads, size = BUNDLED_BACKBONE.size } = options;
  await kernelsReady;
  if (!(await tryBackend('wasm'))) throw new Error('wasm is not available');
  const pool = activeWasmKernelPool();
  await pool.whenReady();
  pool.limitThreads(threads ?? pool.threadsWanted);
  const files = await loadBundledBackbone();
  const extractor = await loadExtractor(files.record, files.weights, layer, size);
  const images = tf.randomUniform([batch, extractor.size, extractor.size, 3]) as tf.Tensor4D;
  try {
    const once = async () => {
      const started = performance.now();
      const out = extractor.features(images);
      await out.data();
      out.dispose();
      return performance.now() - started;
    };
    await once();
    const batchMs: number[] = [];
    for (let i = 0; i < batches; i++) batchMs.push(await once());
    const info = await tf.profile(async () => (await once(), []));
    return {
      layer,
      dims: extractor.dims,
      batchMs,
      imagesPerSecond: (batch * 1000) / median(batchMs),
      kernels: summarize(info.kernels).kernels,
      flags: { threads: pool.threads },
    };
  } finally {
    images.dispose();
    extractor.dispose();
  }
}

const api = { profileBackend, profileFeatures };
export type ProfileApi = typeof api;
Comlink.expose(api);
