// bench:train — the reference convnet trained in the page, per tfjs backend, against the same
// model, data and training in PyTorch (CPU), in the same run.
//
// Data: Fashion-MNIST from scripts/make-datasets.mjs (built here when missing; no network):
//   pair: fashion/data.zip, sandal vs sneaker, 1 000 train + 800 validation, 28×28 grey PNG;
//   ten:  fashion/data10.zip, 10 classes, 3 000 train + 1 000 validation.
// Browser: headless Chromium, fresh profile per run; the zip is picked with "Add images" →
// "Add to data set", then Image size 28, Epochs, Batch size 32, Learning rate 0.001, Seed and
// Backend are typed into their inputs and Train is pressed, as a person would. Figures are read
// from the stored run (IndexedDB, ref workspace-run) — the same numbers the Evaluation's run
// line rounds:
//   - training images/s = run.imagesPerSecond (training images / time in training steps: batch
//     built from the uint8 cache, trainOnBatch, loss and accuracy read back; validation passes
//     excluded; the first step's shader compilation or wasm warm-up included);
//   - inference images/s = validation images × epochs / (run.durationMs − training time): the
//     per-epoch validation passes, model.predict on batches of 32 incl. batch building and
//     readback;
//   - batch-1 latency = median "Inference: X ms" of "Classify an image" on 5 validation PNGs
//     (after one untimed image);
//   - val accuracy = the last epoch's val_accuracy.
// WASM (the backend Auto picks here) trains on the full sets, RUNS runs with seeds 42, 43, …;
// WebGPU and WebGL run on SwiftShader (software) and are 4–20× slower, so they train one
// epoch on a subset (first 160 train + 40 validation images per class for the pair, 32 + 10 per
// class for ten classes: 10 batches) — their images/s is comparable, their accuracy is not.
// The CPU backend (plain JS) manages ~10 images/s: profiled only.
// PyTorch: bench/pytorch_train.py (Debian python3-torch, torch.set_num_threads(2); and one run
// with 1 thread for a per-core comparison), same architecture, initialisers, Adam, batches,
// epochs and seeds; interleaved with the WASM runs so both see the same machine load.
// Profile: bench/profile/ (a page built from the same tfjs and src/core/train code) times
// training steps, tf.profile's kernels and the big kernels alone on each backend, in a Chromium
// with --enable-dawn-features=allow_unsafe_apis (WebGPU timestamp queries); pytorch_train.py
// --profile-ops times the same ops in PyTorch. Medians over runs everywhere.
// The measurements are kept in .cache/bench-train.json; BENCH_TRAIN_REPORT_FROM=<that file>
// rewrites the BENCHMARKS.md section from them without measuring again.
// BENCH_TRAIN_QUICK=1: a smoke test of the benchmark itself (1 epoch, tiny subsets, one run);
// its figures mean nothing and it does not touch BENCHMARKS.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { datasetsDir, makeDatasets } from '../test/harness/datasets.mjs';
import { openApp } from '../test/harness/page.mjs';
import { subsetZip } from '../test/harness/subset-zip.mjs';
import { REPO_ROOT, buildApp, serveApp } from '../test/harness/server.mjs';
import { CHROMIUM_ARGS, openFreshApp, runtimeInfo, startApp } from './lib/browser.mjs';
import { writeExportedTrainPy } from './lib/exported-train-py.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median } from './lib/stats.mjs';
import { classifyLatencies, importZip, setInputs, storedRun, trainAndWait } from './lib/train-page.mjs';

const SIZE = 28;
const BATCH = 32;
const LR = 0.001;
const FIRST_SEED = 42;
const TARGET_ACCURACY_POINTS = 1;
const TARGET_RATIO = 0.5;
/** Extra switch for the profiling browser only: lets WebGPU grant 'timestamp-query'. */
const PROFILE_ARGS = ['--enable-dawn-features=allow_unsafe_apis'];

const QUICK = process.env.BENCH_TRAIN_QUICK === '1';
/** PyTorch runs per seed, the fastest kept (see pytorchBest). */
const PYTORCH_TRIES = QUICK ? 1 : 3;
const SETS = [
  { key: 'pair', title: 'Fashion-MNIST sandal vs sneaker', zip: 'fashion/data.zip', classes: 2, epochs: QUICK ? 1 : 5, subset: QUICK ? { train: 16, validation: 8 } : { train: 160, validation: 40 } },
  { key: 'ten', title: 'Fashion-MNIST, 10 classes', zip: 'fashion/data10.zip', classes: 10, epochs: QUICK ? 1 : 3, subset: QUICK ? { train: 4, validation: 2 } : { train: 32, validation: 10 } },
];
const GPU_BACKENDS = [
  { option: 'WebGL', name: 'webgl' },
  { option: 'WebGPU', name: 'webgpu' },
];

const log = (/** @type {string} */ text) => console.log(`bench:train: ${text}`);

/** Debian's python3 (where apt's python3-torch lives), else whatever python3 is on PATH. */
function findPython() {
  for (const python of ['/usr/bin/python3', 'python3']) {
    try {
      const version = execFileSync(python, ['-c', 'import torch, numpy, PIL, yaml; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
      return { python, torch: version };
    } catch {
      // try the next one
    }
  }
  throw new Error('PyTorch is not installed: bench:train needs Debian\'s python3-torch (apt-get install -y python3-torch), with python3-numpy, python3-pil and python3-yaml (the exported train.py reads params.yaml).');
}

/** @type {Promise<string> | undefined} the exported train.py, whose model pytorch_train.py trains */
let exportedTrainPy;

/**
 * @param {string} python @param {string[]} args
 * @returns {Promise<any>}
 */
async function pytorch(python, args) {
  exportedTrainPy ??= writeExportedTrainPy();
  const script = [join(REPO_ROOT, 'bench', 'pytorch_train.py'), '--train-py', await exportedTrainPy];
  return new Promise((resolvePromise, reject) => {
    const child = spawn(python, [...script, ...args], { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`pytorch_train.py ${args.join(' ')} failed (exit ${code}):\n${err}`));
      else resolvePromise(JSON.parse(out));
    });
  });
}

/**
 * PyTorch `tries` times with the same arguments; the fastest run is kept (another process on
 * this shared 2-core machine only ever slows a run down, and PyTorch's two OpenMP threads
 * suffer most: a busy core stalls both), with every attempt's figures for the record.
 * @param {string} python @param {string[]} args @param {number} tries
 */
async function pytorchBest(python, args, tries) {
  /** @type {any[]} */
  const attempts = [];
  for (let i = 0; i < tries; i++) {
    const t = await pytorch(python, args);
    t.load = loadavg()[0];
    attempts.push(t);
  }
  const best = attempts.reduce((a, b) => (b.train_images_per_second > a.train_images_per_second ? b : a));
  return {
    ...best,
    inference_images_per_second: Math.max(...attempts.map((a) => a.inference_images_per_second)),
    latency_ms: Math.min(...attempts.map((a) => a.latency_ms)),
    attempts: attempts.map((a) => ({ train: a.train_images_per_second, inference: a.inference_images_per_second, load: a.load, val_accuracy: a.val_accuracy })),
  };
}

/** The first `counts` files per class and split of a tutorial-shaped zip, written to `dir`/`name`. @param {string} source @param {{ train: number, validation: number }} counts @param {string} dir @param {string} name */
function subsetZipFile(source, counts, dir, name) {
  const path = join(dir, name);
  writeFileSync(path, subsetZip(source, counts));
  return path;
}

/** Six validation PNGs of a zip (one warm-up + five timed), written to `dir`. @param {string} source @param {string} dir */
function classifyFiles(source, dir) {
  mkdirSync(dir, { recursive: true });
  const files = unzipSync(new Uint8Array(readFileSync(source)));
  return Object.keys(files)
    .filter((path) => /^data\/validation\/[^/]+\/[^/]+\.png$/.test(path))
    .sort()
    .filter((_, i, all) => i % Math.floor(all.length / 6) === 0)
    .slice(0, 6)
    .map((path, i) => {
      const file = join(dir, `classify-${i}.png`);
      writeFileSync(file, /** @type {Uint8Array} */ (files[path]));
      return file;
    });
}

/**
 * One training run in a fresh browser profile.
 * @param {string} url
 * @param {{ zip: string, backend: string, epochs: number, seed: number, images: string[], notAnImage: string, timeoutMs: number }} run
 */
async function browserRun(url, run) {
  const load = loadavg()[0];
  const app = await openFreshApp(url);
  try {
    const runtime = await runtimeInfo(app.page);
    await importZip(app.page, run.zip);
    await setInputs(app.page, { imageSize: SIZE, epochs: run.epochs, batchSize: BATCH, learningRate: LR, seed: run.seed, backend: run.backend });
    const trained = await trainAndWait(app.page, run.timeoutMs);
    const stored = await storedRun(app.page);
    if (!stored) throw new Error('no run stored under workspace-run');
    const latencies = await classifyLatencies(app.page, run.images, run.notAnImage);
    if (app.pageErrors.length) throw new Error(`page errors: ${app.pageErrors.join('\n')}`);
    const { version } = stored;
    const info = version.run;
    const history = /** @type {{ val_accuracy: number }[]} */ (version.history);
    return { load, runtime, version: app.version, trained, info, history, latencies, params: version.params };
  } finally {
    await app.close();
  }
}

/**
 * Derived figures of a browser run.
 * @param {{ info: any, history: any[], latencies: number[], params: any }} r @param {number} trainImages @param {number} valImages
 */
function browserFigures(r, trainImages, valImages) {
  const epochs = r.history.length;
  const trainingMs = ((epochs * trainImages) / r.info.imagesPerSecond) * 1000;
  const validationMs = r.info.durationMs - trainingMs;
  return {
    train: r.info.imagesPerSecond,
    inference: (epochs * valImages) / (validationMs / 1000),
    latency: median(r.latencies.slice(1)),
    accuracy: /** @type {number} */ (r.history.at(-1)?.val_accuracy),
    durationS: r.info.durationMs / 1000,
  };
}

/** @param {number} x */
const pct = (x) => `${(x * 100).toFixed(1)} %`;
/** Milliseconds, with "< 0.05" for what the page's 0.1 ms clock cannot resolve. @param {number} ms */
const msText = (ms) => (Number.isFinite(ms) && ms < 0.05 ? '< 0.05' : fmt(ms));
/** "1.20 (31.2 GFLOP/s)" for a kernel time. @param {number} ms @param {number} gflop */
const kernelCell = (ms, gflop) => (Number.isFinite(ms) ? `${msText(ms)}${ms >= 0.05 ? ` (${fmt(gflop / (ms / 1000))} GFLOP/s)` : ''}` : '—');
/** @param {number} x */
const ratio = (x) => (x >= 0.1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(3) : x.toPrecision(2));

/** @param {{ runs?: number }} [options] */
export async function runTrain(options = {}) {
  const from = process.env.BENCH_TRAIN_REPORT_FROM;
  if (from) {
    const saved = JSON.parse(readFileSync(from, 'utf8'));
    const section = report(saved);
    if (!QUICK) writeSection('train', section);
    console.log(section);
    return;
  }
  const runs = options.runs ?? (QUICK ? 1 : 3);
  const started = Date.now();
  const { python, torch } = findPython();
  log(`PyTorch ${torch} (${python})`);
  await makeDatasets(['fashion']);
  const tmp = mkdtempSync(join(tmpdir(), 'pawprint-bench-train-'));
  const notAnImage = join(tmp, 'not-an-image.png');
  writeFileSync(notAnImage, 'this is not an image\n');
  const app = await startApp();
  log(`app built in ${(app.buildMs / 1000).toFixed(1)} s, served at ${app.url}`);
  const profileRoot = join(REPO_ROOT, 'bench', 'profile');
  const profileOut = join(REPO_ROOT, '.cache', 'bench-profile-dist');
  await buildApp({ root: profileRoot, outDir: profileOut });
  const profileServer = await serveApp({ root: profileRoot, outDir: profileOut });
  const loads = [loadavg()[0]];
  /** @type {any} */
  let runtime;
  let chromium = '';
  /** @type {Record<string, any>} */
  const results = {};
  try {
    for (const set of SETS) {
      const zip = join(datasetsDir(), set.zip);
      const manifest = unzipSync(new Uint8Array(readFileSync(zip)), { filter: (f) => /^data\/(train|validation)\/[^/]+\/[^/]+$/.test(f.name) });
      const paths = Object.keys(manifest);
      const trainImages = paths.filter((p) => p.startsWith('data/train/')).length;
      const valImages = paths.filter((p) => p.startsWith('data/validation/')).length;
      const images = classifyFiles(zip, join(tmp, set.key));
      const r = (results[set.key] = { set, trainImages, valImages, torch2: /** @type {any[]} */ ([]), torch1: /** @type {any[]} */ ([]), wasm: /** @type {any[]} */ ([]), gpu: /** @type {Record<string, any>} */ ({}) });

      for (let i = 0; i < runs; i++) {
        const seed = FIRST_SEED + i;
        const t = await pytorchBest(python, ['--zip', zip, '--size', String(SIZE), '--epochs', String(set.epochs), '--batch', String(BATCH), '--lr', String(LR), '--seed', String(seed), '--threads', '2'], PYTORCH_TRIES);
        r.torch2.push(t);
        log(`${set.key} PyTorch (2 threads) seed ${seed}: ${fmt(t.train_images_per_second)} train img/s (tries: ${t.attempts.map((/** @type {any} */ a) => fmt(a.train)).join(', ')}), ${fmt(t.inference_images_per_second)} inference img/s, val_accuracy ${t.val_accuracy}`);
        const b = await browserRun(app.url, { zip, backend: 'WASM', epochs: set.epochs, seed, images, notAnImage, timeoutMs: 3_600_000 });
        runtime ??= b.runtime;
        chromium ||= b.version;
        const f = browserFigures(b, trainImages, valImages);
        r.wasm.push({ ...b, figures: f });
        log(`${set.key} WASM seed ${seed}: ${fmt(f.train)} train img/s, ${fmt(f.inference)} inference img/s, latency ${fmt(f.latency)} ms, val_accuracy ${f.accuracy} (${b.trained.backendLine}; load ${b.load.toFixed(2)})`);
      }
      const one = await pytorchBest(python, ['--zip', zip, '--size', String(SIZE), '--epochs', String(set.epochs), '--batch', String(BATCH), '--lr', String(LR), '--seed', String(FIRST_SEED), '--threads', '1'], PYTORCH_TRIES);
      r.torch1.push(one);
      log(`${set.key} PyTorch (1 thread): ${fmt(one.train_images_per_second)} train img/s, ${fmt(one.inference_images_per_second)} inference img/s`);

      const subset = subsetZipFile(zip, set.subset, tmp, `${set.key}-subset.zip`);
      for (const gpu of GPU_BACKENDS) {
        try {
          const b = await browserRun(app.url, { zip: subset, backend: gpu.option, epochs: 1, seed: FIRST_SEED, images, notAnImage, timeoutMs: 1_800_000 });
          const f = browserFigures(b, set.subset.train * set.classes, set.subset.validation * set.classes);
          r.gpu[gpu.name] = { ...b, figures: f };
          log(`${set.key} ${gpu.option} (subset, 1 epoch): ${fmt(f.train)} train img/s, ${fmt(f.inference)} inference img/s, latency ${fmt(f.latency)} ms (${b.trained.backendLine})`);
        } catch (error) {
          r.gpu[gpu.name] = { error: error instanceof Error ? error.message : String(error) };
          log(`${set.key} ${gpu.option} failed: ${r.gpu[gpu.name].error}`);
        }
      }
      loads.push(loadavg()[0]);
    }

    // Where the time goes: the profiling page, one browser for all backends.
    /** @type {Record<string, any>} */
    const profiles = {};
    const page = await openApp(profileServer.url, { extraArgs: PROFILE_ARGS, timeoutMs: 1_200_000 });
    try {
      await page.page.waitForFunction(() => /** @type {any} */ (window).profileReady === true);
      for (const backend of ['wasm', 'webgl', 'webgpu', 'cpu']) {
        const slow = QUICK || backend === 'webgpu' || backend === 'cpu';
        profiles[backend] = await page.page.evaluate(
          ([name, opts]) => /** @type {any} */ (window).profileBackend(name, opts),
          /** @type {const} */ ([backend, { size: SIZE, batch: BATCH, classes: 2, steps: slow ? 3 : 7, reps: slow ? 3 : 7 }]),
        );
        const p = profiles[backend];
        log(`profile ${backend}: ${p.ok ? `step ${fmt(p.medianStepMs)} ms (${fmt(p.trainImagesPerSecond)} img/s), predict batch ${fmt(p.predictBatchMs)} ms` : p.error}`);
      }
    } finally {
      await page.close();
    }
    const torchOps = await pytorch(python, ['--profile-ops', '--size', String(SIZE), '--batch', String(BATCH), '--classes', '2', '--threads', '2']);
    loads.push(loadavg()[0]);

    const data = { results, profiles, torchOps, runtime, chromium, torch, runs, loads, minutes: (Date.now() - started) / 60_000, date: today() };
    writeFileSync(join(REPO_ROOT, '.cache', QUICK ? 'bench-train-quick.json' : 'bench-train.json'), JSON.stringify(data));
    const section = report(data);
    if (QUICK) {
      console.log(`\n${section}`);
      log('quick mode: BENCHMARKS.md left alone');
    } else {
      writeSection('train', section);
      console.log(`\n${section}`);
      log('BENCHMARKS.md updated');
    }
  } finally {
    await profileServer.close();
    await app.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * @param {{ results: Record<string, any>, profiles: Record<string, any>, torchOps: any, runtime: any, chromium: string, torch: string, runs: number, loads: number[], minutes: number, date: string }} data
 */
function report({ results, profiles, torchOps, runtime, chromium, torch, runs, loads, minutes, date }) {
  const tfjsVersion = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')).version;
  const renderer = profiles.webgl?.flags?.renderer ?? 'unknown';
  const wasmFlags = profiles.wasm?.flags ?? {};
  const slowdown = Math.max(
    1,
    ...Object.values(results).flatMap((r) =>
      r.torch2.map((/** @type {any} */ t) => {
        const trains = (t.attempts ?? []).map((/** @type {any} */ a) => a.train);
        return trains.length ? Math.max(...trains) / Math.min(...trains) : 1;
      }),
    ),
  );
  const lines = [];
  lines.push(`## train — the reference convnet in the page vs PyTorch (\`npm run bench:train\`)

The reference convnet (DESIGN.md: 3 × [3×3 conv, 'valid', ReLU, 2×2 max-pool] → dense 128 →
dropout 0.5 → softmax), image size 28, batch ${BATCH}, Adam ${LR}, inputs in [0, 1], trained through the
page as a person does it: pick the zip with "Add images", "Add to data set", type the
parameters, choose the Backend, press Train (fresh Chromium profile per run). Figures come
from the stored run (ref \`workspace-run\`): training images/s is the app's own (images / time in
training steps, validation passes excluded, the first step's warm-up included); inference
images/s is the per-epoch validation passes (predict on batches of ${BATCH} + readback) = validation
images × epochs / (run duration − training time); batch-1 latency is the median "Inference: X ms"
of "Classify an image" over 5 validation PNGs. PyTorch runs \`bench/pytorch_train.py\` on the
same zips with the model class of the exported train.py: same layers, Glorot-uniform kernels and zero biases, Adam (eps 1e-7 as tfjs), seeded
shuffle per epoch, batch ${BATCH}, the same epochs and seeds, timed the same way; interleaved with
the WASM runs. WASM and PyTorch: medians of ${runs} runs (seeds ${FIRST_SEED}…${FIRST_SEED + runs - 1}); PyTorch ran ${PYTORCH_TRIES}
times per seed and the fastest counts, since other work on this shared machine stalls its two
threads (an attempt ran up to ${fmt(slowdown)}× slower than another of the same seed here; every attempt is listed
below), which makes the ratios conservative for the browser. WebGL and
WebGPU are software (SwiftShader) here and 4–20× slower, so they train 1 epoch on a subset
(10 batches): their images/s compare, their accuracy does not. CPU (plain JS, ~10 images/s) is
profiled only.

- Date: ${date}; whole benchmark ${minutes.toFixed(0)} min
- Machine: ${machineLine()}; shared: 1-min load average ${loads.map((l) => l.toFixed(1)).join(' → ')} during the run
- Chromium: ${chromium} (Debian), headless, \`${CHROMIUM_ARGS.join(' ')}\`; tfjs ${tfjsVersion}
- WebGPU adapter: ${runtime?.adapterString ?? 'unknown'}; WebGL renderer: ${renderer}
- WASM: SIMD ${wasmFlags.simd ?? '?'}, threads ${wasmFlags.multithread ?? '?'} (page crossOriginIsolated: ${wasmFlags.crossOriginIsolated ?? '?'}), so one core
- PyTorch ${torch} (Debian python3-torch, CPU), \`torch.set_num_threads(2)\` unless noted
`);

  /** @type {string[]} */
  const verdicts = [];
  /** @type {{ inference: number[], latency: number[], torchLatency: number[] }} */
  const summary = { inference: [], latency: [], torchLatency: [] };
  for (const r of Object.values(results)) {
    const { set } = r;
    const t2 = {
      train: median(r.torch2.map((/** @type {any} */ t) => t.train_images_per_second)),
      inference: median(r.torch2.map((/** @type {any} */ t) => t.inference_images_per_second)),
      latency: median(r.torch2.map((/** @type {any} */ t) => t.latency_ms)),
      accuracy: median(r.torch2.map((/** @type {any} */ t) => t.val_accuracy)),
    };
    const t1 = r.torch1[0];
    const w = {
      train: median(r.wasm.map((/** @type {any} */ b) => b.figures.train)),
      inference: median(r.wasm.map((/** @type {any} */ b) => b.figures.inference)),
      latency: median(r.wasm.map((/** @type {any} */ b) => b.figures.latency)),
      accuracy: median(r.wasm.map((/** @type {any} */ b) => b.figures.accuracy)),
    };
    const row = (/** @type {string} */ name, /** @type {string} */ data, /** @type {any} */ f, /** @type {string} */ acc) =>
      `| ${name} | ${data} | ${fmt(f.train)} | ${ratio(f.train / t2.train)} | ${fmt(f.inference)} | ${ratio(f.inference / t2.inference)} | ${fmt(f.latency)} | ${acc} |`;
    lines.push(`### ${set.title}: ${r.trainImages} train + ${r.valImages} validation images, ${set.classes} classes, ${set.epochs} epochs

| backend | data | train img/s | ÷ PyTorch | inference img/s | ÷ PyTorch | batch-1 latency ms | val accuracy |
| --- | --- | --- | --- | --- | --- | --- | --- |`);
    lines.push(row(`PyTorch CPU, 2 threads (median of ${r.torch2.length})`, 'full', t2, pct(t2.accuracy)));
    lines.push(row('PyTorch CPU, 1 thread', 'full', { train: t1.train_images_per_second, inference: t1.inference_images_per_second, latency: t1.latency_ms }, pct(t1.val_accuracy)));
    lines.push(row(`**WASM** (median of ${r.wasm.length})`, 'full', w, pct(w.accuracy)));
    for (const [name, g] of Object.entries(r.gpu)) {
      if (g.error) lines.push(`| ${name} | subset | failed: ${g.error.split('\n')[0]} | | | | | |`);
      else lines.push(row(name === 'webgpu' ? `WebGPU (${g.info.adapter})` : 'WebGL', `subset, 1 epoch, ${set.subset.train}+${set.subset.validation}/class`, g.figures, `${pct(g.figures.accuracy)} (subset)`));
    }
    const points = (w.accuracy - t2.accuracy) * 100;
    summary.inference.push(w.inference / t2.inference);
    summary.latency.push(w.latency);
    summary.torchLatency.push(t2.latency);
    const spread = (/** @type {number[]} */ xs) => `${pct(Math.min(...xs))}–${pct(Math.max(...xs))}`;
    const wasmAccs = r.wasm.map((/** @type {any} */ b) => b.figures.accuracy);
    const torchAccs = r.torch2.map((/** @type {any} */ t) => t.val_accuracy);
    const seedMatters = Math.max(Math.max(...wasmAccs) - Math.min(...wasmAccs), Math.max(...torchAccs) - Math.min(...torchAccs)) * 100 > Math.abs(points);
    const best = Math.max(w.train, ...Object.values(r.gpu).filter((g) => !g.error).map((g) => g.figures.train));
    lines.push('');
    lines.push(
      `Per run — WASM: ${r.wasm.map((/** @type {any} */ b, /** @type {number} */ i) => `seed ${FIRST_SEED + i}: ${fmt(b.figures.train)} / ${fmt(b.figures.inference)} img/s, ${fmt(b.figures.latency)} ms, val ${b.figures.accuracy.toFixed(4)}, ${b.figures.durationS.toFixed(0)} s, load ${b.load.toFixed(1)}`).join('; ')}. ` +
        `PyTorch (2 threads; train img/s of each attempt, load): ${r.torch2.map((/** @type {any} */ t) => `seed ${t.seed}: ${(t.attempts ?? [{ train: t.train_images_per_second, load: t.load }]).map((/** @type {any} */ a) => `${fmt(a.train)} (${a.load.toFixed(1)})`).join(', ')}, val ${t.val_accuracy.toFixed(4)}`).join('; ')}. ` +
        `PyTorch 1 thread: ${(t1.attempts ?? []).map((/** @type {any} */ a) => fmt(a.train)).join(', ')}.`,
    );
    lines.push('');
    verdicts.push(
      `- ${set.title}: val accuracy WASM ${pct(w.accuracy)} vs PyTorch ${pct(t2.accuracy)}: ${points >= 0 ? '+' : ''}${points.toFixed(1)} points — ${Math.abs(points) <= TARGET_ACCURACY_POINTS ? 'target met' : 'target missed'} (within ${TARGET_ACCURACY_POINTS} point); across seeds WASM ranges ${spread(wasmAccs)}, PyTorch ${spread(torchAccs)}${seedMatters ? `, so after ${set.epochs} epochs the seed moves accuracy more than the framework does` : ''}. ` +
        `Best browser backend (WASM) trains at ${ratio(best / t2.train)}× PyTorch's images/s — target (≥ ${TARGET_RATIO}×) ${best / t2.train >= TARGET_RATIO ? 'met' : 'missed'}; ${ratio(best / t1.train_images_per_second)}× PyTorch on 1 thread.`,
    );
  }
  lines.push('### Targets (issue 4)\n');
  lines.push(...verdicts);
  lines.push('');
  /** @type {Record<string, number>} */
  const appRates = {};
  for (const r of Object.values(results)) r.wasm.forEach((/** @type {any} */ b, /** @type {number} */ i) => (appRates[`${r.set.key}-${i}`] = b.figures.train));
  lines.push(profileReport(profiles, torchOps, appRates, summary));
  return lines.join('\n');
}

/**
 * @param {Record<string, any>} profiles @param {any} torchOps @param {Record<string, number>} appRates
 * @param {{ inference: number[], latency: number[], torchLatency: number[] }} summary WASM ÷ PyTorch inference ratios and latencies per data set
 */
function profileReport(profiles, torchOps, appRates, summary) {
  const names = ['wasm', 'webgl', 'webgpu', 'cpu'].filter((n) => profiles[n]?.ok);
  const out = [];
  out.push(`### Where the time goes (bench/profile: one training step at 28×28, batch ${BATCH}, 2 classes, random data)

Steady state after a warm-up step, in the page's main thread (the app trains in a worker on the
same code). "Kernels" is tf.profile of one \`trainOnBatch\`: wasm and cpu time each kernel on the
wall clock; WebGPU reports GPU timestamps (Chromium with \`--enable-dawn-features=allow_unsafe_apis\`);
WebGL has no timer queries on SwiftShader, so tfjs reads every kernel's output back and its
figures include one readback each.

| backend | step ms | img/s | first step ms | predict ×${BATCH} ms | predict ×1 ms | readback ms | upload ms | kernels per step | top kernels (share of timed) |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |`);
  for (const name of names) {
    const p = profiles[name];
    const top = (p.profile?.kernels ?? [])
      .filter((/** @type {any} */ k) => k.ms !== null)
      .slice(0, 4)
      .map((/** @type {any} */ k) => `${k.name} ×${k.count} ${fmt(k.ms)} ms (${((k.ms / p.profile.timedMs) * 100).toFixed(0)} %)`)
      .join(', ');
    out.push(`| ${name} | ${fmt(p.medianStepMs)} | ${fmt(p.trainImagesPerSecond)} | ${fmt(p.firstStepMs)} | ${msText(p.predictBatchMs)} | ${msText(p.predictOneMs)} | ${msText(p.readbackMs)} | ${msText(p.uploadMs)} | ${p.profile?.kernelCount ?? '?'} | ${top || p.profile?.timer || ''} |`);
  }
  out.push(`| PyTorch (2 threads) | ${fmt(torchOps.step_ms)} | ${fmt(torchOps.train_images_per_second)} | | | | | | | ${torchOps.step_profile.slice(0, 4).map((/** @type {any} */ e) => `${e.name} ×${e.count} ${fmt(e.self_ms)} ms`).join(', ')} |`);
  out.push('');
  out.push(`The big kernels alone at the model's shapes (ms per call; GFLOP/s = 2 × multiply-adds / time):

| kernel | shapes (NHWC) | GFLOP | ${names.join(' | ')} | PyTorch | WASM ÷ PyTorch |
| --- | --- | --- | ${names.map(() => '---').join(' | ')} | --- | --- |`);
  const torchByOp = new Map((torchOps.ops ?? []).map((/** @type {any} */ o) => [o.op.replace(/ \(.*\)$/, ''), o]));
  const wasmIsolated = profiles.wasm?.isolated ?? [];
  for (const [i, k] of wasmIsolated.entries()) {
    const key = k.op.replace(/ \(.*\)$/, '').replace(' Conv2DBackpropFilter', ' weight gradient').replace(' Conv2DBackpropInput', ' input gradient');
    const t = torchByOp.get(key);
    const cells = names.map((n) => {
      const m = profiles[n].isolated[i];
      return m ? kernelCell(m.ms, m.gflop) : '—';
    });
    const versus = t && k.ms >= 0.05 && t.ms > 0 ? `${fmt(k.ms / t.ms)}×` : '';
    out.push(`| ${k.op} | ${k.shapes} | ${k.gflop.toFixed(3)} | ${cells.join(' | ')} | ${t ? kernelCell(t.ms, t.gflop) : '—'} | ${versus} |`);
  }
  out.push('');
  out.push(findings(profiles, torchOps, appRates, summary));
  return out.join('\n');
}

/**
 * Findings, with the numbers of this run.
 * @param {Record<string, any>} profiles @param {any} torchOps @param {Record<string, number>} appRates WASM training images/s of the app's runs
 */
function findings(profiles, torchOps, appRates, summary = /** @type {{ inference: number[], latency: number[], torchLatency: number[] }} */ ({ inference: [], latency: [], torchLatency: [] })) {
  const span = (/** @type {number[]} */ xs, /** @type {(x: number) => string} */ f) => (xs.length ? (Math.min(...xs) === Math.max(...xs) ? f(xs[0]) : `${f(Math.min(...xs))}–${f(Math.max(...xs))}`) : '');
  const appInference = span(summary.inference, (x) => `${ratio(x)}×`);
  const appLatency = span(summary.latency, fmt);
  const torchLatency = span(summary.torchLatency, fmt);
  const share = (/** @type {string} */ backend, /** @type {string} */ kernel) => {
    const p = profiles[backend];
    const k = p?.profile?.kernels?.find((/** @type {any} */ x) => x.name === kernel);
    return k && k.ms !== null && p.profile.timedMs > 0 ? k.ms / p.profile.timedMs : NaN;
  };
  const iso = (/** @type {string} */ backend, /** @type {RegExp} */ op) => profiles[backend]?.isolated?.find((/** @type {any} */ k) => op.test(k.op));
  const gflops = (/** @type {any} */ k) => (k ? k.gflop / (k.ms / 1000) : NaN);
  const w = profiles.wasm;
  const bpf = iso('wasm', /^conv2 Conv2DBackpropFilter/);
  const fwd = iso('wasm', /^conv2 forward/);
  const tBpf = torchOps.ops?.find((/** @type {any} */ o) => o.op === 'conv2 weight gradient');
  const adamKernels = ['Add', 'Multiply', 'RealDiv', 'Sqrt', 'Square', 'Sub', 'Identity'].reduce(
    (sum, name) => sum + (w?.profile?.kernels?.find((/** @type {any} */ k) => k.name === name)?.count ?? 0),
    0,
  );
  const g = profiles.webgpu;
  const gl = profiles.webgl;
  const smallMs = ['Add', 'Multiply', 'RealDiv', 'Sqrt', 'Square', 'Sub', 'Identity'].reduce(
    (sum, name) => sum + (w?.profile?.kernels?.find((/** @type {any} */ k) => k.name === name)?.ms ?? 0),
    0,
  );
  // Gradient kernels at the forward conv's rate, per layer, from the isolated timings.
  let saved = 0;
  for (const layer of ['conv1', 'conv2', 'conv3']) {
    const forward = iso('wasm', new RegExp(`^${layer} forward`));
    for (const grad of [iso('wasm', new RegExp(`^${layer} Conv2DBackpropFilter`)), iso('wasm', new RegExp(`^${layer} Conv2DBackpropInput`))]) {
      if (forward && grad) saved += grad.ms - grad.gflop / gflops(forward) * 1000;
    }
  }
  const estimate = (w?.medianStepMs ?? NaN) - saved;
  const poolGradMs = (w?.profile?.kernels?.find((/** @type {any} */ k) => k.name === 'MaxPoolGrad')?.ms ?? NaN);
  const appWasm = Object.values(appRates).length ? median(Object.values(appRates)) : NaN;
  const pipeline = Number.isFinite(appWasm)
    ? `The app's own WASM rate (${fmt(appWasm)} images/s, median over both data sets' runs) is ${ratio(appWasm / (w?.trainImagesPerSecond ?? NaN))}× the bare step rate here (${fmt(w?.trainImagesPerSecond ?? NaN)}): building batches from the uint8 cache, the worker and its progress messages cost little.`
    : '';
  const inferenceNote = appInference
    ? `- Inference is much closer than training: the app's validation passes (batches of ${BATCH}) run at ${appInference} of PyTorch's rate, and "Classify an image" takes ${appLatency} ms against ${torchLatency} ms for one image in PyTorch — the forward pass runs on XNNPACK; the training gap is mostly the backward pass.`
    : '';
  const forwardRatios = ['conv1', 'conv2', 'conv3']
    .map((layer) => {
      const mine = iso('wasm', new RegExp(`^${layer} forward`));
      const theirs = torchOps.ops?.find((/** @type {any} */ o) => o.op.startsWith(`${layer} forward`));
      return mine && theirs ? mine.ms / theirs.ms : NaN;
    })
    .filter(Number.isFinite);
  const forwardVersus = forwardRatios.length ? `${fmt(Math.min(...forwardRatios))}–${fmt(Math.max(...forwardRatios))}×` : 'a few times';
  const list = [
    `- **WASM (the fastest here, what Auto picks)**: the weight gradients dominate. tfjs-backend-wasm 4.22 has no Conv2DBackpropFilter; the app routes it to the C++ Conv3DBackpropFilterV2 (src/core/train/wasm-conv-grad.ts), a plain loop nest without XNNPACK: ${pct(share('wasm', 'Conv2DBackpropFilter'))} of the kernel time of a step; alone, conv2's weight gradient runs at ${fmt(gflops(bpf))} GFLOP/s against ${fmt(gflops(fwd))} GFLOP/s for the same multiply-adds in the XNNPACK forward conv, and ${tBpf ? `${fmt(bpf.ms / tBpf.ms)}× PyTorch's time for it` : ''}. The input gradients (Conv2DBackpropInput, also a loop nest) are next at ${pct(share('wasm', 'Conv2DBackpropInput'))}. A GEMM-based (im2col) weight gradient, or XNNPACK's, would remove most of the gap: the XNNPACK forward convs take ${forwardVersus} PyTorch's time.`,
    `- WASM runs on one core: the page is not cross-origin isolated (no COOP/COEP headers), so tfjs loads the single-threaded SIMD build (threads: ${w?.flags?.multithread ?? '?'}); PyTorch uses both cores. Serving the app with COOP/COEP would allow the threaded build (XNNPACK kernels only; the loop-nest gradients stay single-threaded).`,
    `- Overheads around the kernels are small on WASM: in the profiled step the ${w?.profile?.kernelCount ?? '?'} kernel calls (${adamKernels} of them elementwise Add/Multiply/RealDiv/Sqrt/Square/Sub/Identity, mostly Adam's per-variable updates, together ${fmt(smallMs)} ms) take ${fmt(w?.profile?.timedMs ?? NaN)} ms of ${fmt(w?.profile?.wallMs ?? NaN)} ms; a readback costs ${msText(w?.readbackMs ?? NaN)} ms (trainOnBatch reads loss and accuracy back, 2 per batch; on the GPU backends ${msText(gl?.readbackMs ?? NaN)} ms on WebGL, ${msText(g?.readbackMs ?? NaN)} ms on WebGPU); uploading a batch ${msText(w?.uploadMs ?? NaN)} ms. ${pipeline}`,
    inferenceNote,
    `- If the two gradient kernels ran at the forward conv's GFLOP/s (as im2col + the same GEMM would), the WASM step would take about ${fmt(estimate)} ms instead of ${fmt(w?.medianStepMs ?? NaN)} ms: ~${fmt(BATCH / (estimate / 1000))} images/s, ${ratio(BATCH / (estimate / 1000) / torchOps.train_images_per_second)}× PyTorch's step rate on random data. The JS MaxPoolGrad that replaces wasm's faulty one (src/core/train/wasm-max-pool-grad.ts) costs ${fmt(poolGradMs)} ms a step, 0.07–0.1 ms in PyTorch.`,
    g?.ok
      ? `- **WebGPU on SwiftShader**: ${fmt(g.medianStepMs)} ms a step (${fmt(g.trainImagesPerSecond)} img/s), the first ${fmt(g.firstStepMs)} ms (shader compilation). In the profiled step the GPU timestamps of its kernels add up to ${fmt(g.profile?.timedMs ?? NaN)} ms of ${fmt(g.profile?.wallMs ?? NaN)} ms wall time: the time is in the emulated shaders, not in JS or transfers — Conv2DBackpropFilter ${pct(share('webgpu', 'Conv2DBackpropFilter'))}, Conv2D ${pct(share('webgpu', 'Conv2D'))}, and even the elementwise Add kernels ${pct(share('webgpu', 'Add'))}. Readback ${fmt(g.readbackMs)} ms. tfjs' WGSL kernels are written for GPU parallelism; on a CPU emulator each dispatch is slow. Nothing in the app can fix this; on a real GPU this backend is the one to use (Auto picks it there without probing).`
      : '- WebGPU: not profiled (it did not start).',
    gl?.ok
      ? `- **WebGL on SwiftShader**: ${fmt(gl.medianStepMs)} ms a step (${fmt(gl.trainImagesPerSecond)} img/s); its kernels through the emulated GL pipeline, each a full-screen draw with textures; per-kernel times include a readback each (no timer queries), so only the ranking counts: Conv2DBackpropFilter, then Identity/Conv2D/Conv2DBackpropInput. Readback ${fmt(gl.readbackMs)} ms.`
      : '- WebGL: not profiled.',
    profiles.cpu?.ok ? `- CPU (plain JS): ${fmt(profiles.cpu.medianStepMs)} ms a step (${fmt(profiles.cpu.trainImagesPerSecond)} img/s); its conv gradients are JS loops (conv2's weight gradient alone ${fmt(iso('cpu', /^conv2 Conv2DBackpropFilter/)?.ms ?? NaN)} ms).` : '',
    `- PyTorch's step at these shapes is ${fmt(torchOps.step_ms)} ms (${fmt(torchOps.train_images_per_second)} img/s on random data): oneDNN convolutions and their gradients on both cores, no readback beyond \`loss.item()\`. With 2 threads on this shared 2-core machine its rate swings with the load (OpenMP threads wait for a busy core): see the per-run figures; the 1-thread run is the steadier per-core reference.`,
  ];
  return `Findings:\n\n${list.filter(Boolean).join('\n')}`;
}

/** `node bench/train.mjs` runs it directly too. */
if (process.argv[1] && resolve(process.argv[1]) === resolve(REPO_ROOT, 'bench', 'train.mjs')) {
  await runTrain();
}
