// bench:train — the reference convnet trained in the page, per tfjs backend, against the same
// model, data and training in PyTorch (CPU), in the same run.
//
// Step rates (issue 11's figure): training images/s of one step on random data at 28, 64 and
// 150 px, batch 32, in the profiling worker on WASM with one thread and with all the page's
// threads, next to pytorch_train.py --step-rate with 1 and as many threads, interleaved, RUNS
// rounds, medians. The tutorial-sized run: tutorial/data.zip (2 000 train JPEGs) at 64 px for
// 10 epochs with Auto through the page, Train → result, next to the exported train.py.
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
// BENCH_TRAIN_ONLY=tutorial measures the tutorial-sized run again and rewrites the section with
// the other figures of that file.
// BENCH_TRAIN_QUICK=1: a smoke test of the benchmark itself (1 epoch, tiny subsets, one run);
// its figures mean nothing and it does not touch BENCHMARKS.md.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { unzipSync } from 'fflate';
import { datasetsDir, makeDatasets } from '../test/harness/datasets.mjs';
import { subsetZip } from '../test/harness/subset-zip.mjs';
import { REPO_ROOT } from '../test/harness/server.mjs';
import { CHROMIUM_ARGS, openFreshApp, runtimeInfo, startApp } from './lib/browser.mjs';
import { writeExportedTrainPy } from './lib/exported-train-py.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median } from './lib/stats.mjs';
import { compareTraining } from './lib/exchange-train.mjs';
import { openProfilePage, startProfilePage } from './lib/profile-page.mjs';
import { classifyLatencies, importZip, setInputs, storedRun, trainAndWait } from './lib/train-page.mjs';
import { BATCH, FIRST_SEED, LR, PYTORCH_TRIES, QUICK, SIZE } from './lib/train-config.mjs';
import { trainSection } from './lib/train-report.mjs';

/** Extra switch for the profiling browser only: lets WebGPU grant 'timestamp-query'. */
const PROFILE_ARGS = ['--enable-dawn-features=allow_unsafe_apis'];

const SETS = [
  { key: 'pair', title: 'Fashion-MNIST sandal vs sneaker', zip: 'fashion/data.zip', classes: 2, epochs: QUICK ? 1 : 5, subset: QUICK ? { train: 16, validation: 8 } : { train: 160, validation: 40 } },
  { key: 'ten', title: 'Fashion-MNIST, 10 classes', zip: 'fashion/data10.zip', classes: 10, epochs: QUICK ? 1 : 3, subset: QUICK ? { train: 4, validation: 2 } : { train: 32, validation: 10 } },
];
/** Image sizes of the step-rate table (issue 11: 28, 64 and 150 px). */
const STEP_SIZES = QUICK ? [28] : [28, 64, 150];
/** Timed steps per measurement: fewer where a step takes seconds. @param {number} size */
const stepsFor = (size) => (QUICK ? 2 : size >= 150 ? 5 : size >= 64 ? 10 : 25);
/** The tutorial-sized run: the app's defaults (64 px, 10 epochs), Auto. */
const TUTORIAL_INPUTS = { imageSize: 64, epochs: 10, batchSize: BATCH, learningRate: LR, seed: FIRST_SEED, backend: 'Auto' };
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

/**
 * The profiling page's worker, driven from Node.
 * @param {import('../test/harness/page.mjs').OpenedApp} page @param {string} backend @param {Record<string, unknown>} options
 */
function profileIn(page, backend, options) {
  return page.page.evaluate(([name, opts]) => /** @type {any} */ (window).profileBackend(name, opts), /** @type {const} */ ([backend, options]));
}

/**
 * Step rates on random data, WASM (one thread, all threads) and PyTorch (same thread counts),
 * interleaved size by size, `rounds` times.
 * @param {string} profileUrl @param {string} python @param {number} rounds
 */
async function measureStepRates(profileUrl, python, rounds) {
  const page = await openProfilePage(profileUrl);
  try {
    const probe = await profileIn(page, 'wasm', { size: 22, batch: 4, steps: 1, skipProfile: true, skipKernels: true });
    if (!probe.ok) throw new Error(`wasm does not start in the profiling page: ${probe.error}`);
    const cores = Number(probe.flags.hardwareConcurrency);
    if (!probe.flags.crossOriginIsolated) throw new Error('the profiling page is not cross-origin isolated: WASM would run on one thread');
    const counts = [...new Set([1, cores])];
    /** @type {{ size: number, threads: number, wasm: number[], torch: number[], loads: number[] }[]} */
    const rows = STEP_SIZES.flatMap((size) => counts.map((threads) => ({ size, threads, wasm: [], torch: [], loads: [] })));
    for (let round = 0; round < rounds; round++) {
      for (const row of rows) {
        const steps = stepsFor(row.size);
        row.loads.push(loadavg()[0]);
        const w = await profileIn(page, 'wasm', { size: row.size, batch: BATCH, classes: 2, steps, skipProfile: true, skipKernels: true, threads: row.threads });
        if (!w.ok) throw new Error(`wasm step rate at ${row.size} px failed: ${w.error}`);
        if (w.flags.threads !== row.threads) throw new Error(`asked for ${row.threads} wasm threads, the pool ran ${w.flags.threads}`);
        const t = await pytorch(python, ['--step-rate', String(steps), '--size', String(row.size), '--batch', String(BATCH), '--classes', '2', '--threads', String(row.threads)]);
        row.wasm.push(w.trainImagesPerSecond);
        row.torch.push(t.train_images_per_second);
        log(`step rate ${row.size} px, ${row.threads} thread(s), round ${round + 1}: WASM ${fmt(w.trainImagesPerSecond)} img/s, PyTorch ${fmt(t.train_images_per_second)} img/s (load ${row.loads.at(-1)?.toFixed(1)})`);
      }
    }
    return { cores, rows };
  } finally {
    await page.close();
  }
}

/** @param {{ runs?: number }} [options] */
export async function runTrain(options = {}) {
  const from = process.env.BENCH_TRAIN_REPORT_FROM;
  if (from) {
    const saved = JSON.parse(readFileSync(from, 'utf8'));
    const section = trainSection(saved);
    if (!QUICK) writeSection('train', section);
    console.log(section);
    return;
  }
  const runs = options.runs ?? (QUICK ? 1 : 3);
  if (process.env.BENCH_TRAIN_ONLY === 'tutorial') return remeasureTutorial(runs);
  const started = Date.now();
  const { python, torch } = findPython();
  log(`PyTorch ${torch} (${python})`);
  await makeDatasets(['fashion', 'tutorial']);
  const tmp = mkdtempSync(join(tmpdir(), 'pawprint-bench-train-'));
  const notAnImage = join(tmp, 'not-an-image.png');
  writeFileSync(notAnImage, 'this is not an image\n');
  const app = await startApp();
  log(`app built in ${(app.buildMs / 1000).toFixed(1)} s, served at ${app.url}`);
  const profileServer = await startProfilePage();
  const loads = [loadavg()[0]];
  /** @type {any} */
  let runtime;
  let chromium = '';
  /** @type {Record<string, any>} */
  const results = {};
  try {
    const stepRates = await measureStepRates(profileServer.url, python, runs);
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

    const tutorial = QUICK ? null : await measureTutorial(app.url, runs);
    loads.push(loadavg()[0]);

    // Where the time goes: the profiling page, one browser for all backends. WASM on all threads
    // and on one, at 28 px and (kernel shares only) at 64 px.
    /** @type {Record<string, any>} */
    const profiles = {};
    const page = await openProfilePage(profileServer.url, { extraArgs: PROFILE_ARGS, timeoutMs: 1_200_000 });
    try {
      const plan = [
        { key: 'wasm', backend: 'wasm', options: { threads: stepRates.cores } },
        { key: 'wasm-1', backend: 'wasm', options: { threads: 1, skipKernels: true } },
        { key: 'wasm-64', backend: 'wasm', options: { size: 64, threads: stepRates.cores, skipKernels: true } },
        { key: 'webgl', backend: 'webgl', options: {} },
        { key: 'webgpu', backend: 'webgpu', options: {} },
        { key: 'cpu', backend: 'cpu', options: {} },
      ];
      for (const { key, backend, options: extra } of plan) {
        const slow = QUICK || backend === 'webgpu' || backend === 'cpu';
        profiles[key] = await profileIn(page, backend, { size: SIZE, batch: BATCH, classes: 2, steps: slow ? 3 : 9, reps: slow ? 3 : 7, ...extra });
        const p = profiles[key];
        log(`profile ${key}: ${p.ok ? `step ${fmt(p.medianStepMs)} ms (${fmt(p.trainImagesPerSecond)} img/s), predict batch ${fmt(p.predictBatchMs)} ms` : p.error}`);
      }
    } finally {
      await page.close();
    }
    const torchOps = await pytorch(python, ['--profile-ops', '--size', String(SIZE), '--batch', String(BATCH), '--classes', '2', '--threads', '2']);
    loads.push(loadavg()[0]);

    const data = { stepRates, tutorial, results, profiles, torchOps, runtime, chromium, torch, runs, loads, minutes: (Date.now() - started) / 60_000, date: today() };
    writeFileSync(join(REPO_ROOT, '.cache', QUICK ? 'bench-train-quick.json' : 'bench-train.json'), JSON.stringify(data));
    const section = trainSection(data);
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

/** The tutorial-sized run through the page, next to the exported train.py (medians of `runs`). @param {string} url @param {number} runs */
function measureTutorial(url, runs) {
  return compareTraining(url, join(datasetsDir(), 'tutorial', 'data.zip'), runs, (text) => log(`tutorial: ${text}`), {
    inputs: TUTORIAL_INPUTS,
    browserRuns: runs,
    message: 'Tutorial data, 64 px, 10 epochs',
  });
}

/**
 * BENCH_TRAIN_ONLY=tutorial: measures the tutorial-sized run again (after a change that only
 * touches it) and rewrites the section from the last full run's .cache/bench-train.json with it.
 * @param {number} runs
 */
async function remeasureTutorial(runs) {
  const file = join(REPO_ROOT, '.cache', 'bench-train.json');
  const data = JSON.parse(readFileSync(file, 'utf8'));
  findPython();
  await makeDatasets(['tutorial']);
  const app = await startApp();
  try {
    const loads = [loadavg()[0]];
    const tutorial = await measureTutorial(app.url, runs);
    loads.push(loadavg()[0]);
    data.tutorial = { ...tutorial, remeasured: { date: today(), loads } };
  } finally {
    await app.close();
  }
  writeFileSync(file, JSON.stringify(data));
  const section = trainSection(data);
  writeSection('train', section);
  console.log(`\n${section}`);
  log('BENCHMARKS.md updated (tutorial run re-measured)');
}

/** `node bench/train.mjs` runs it directly too. */
if (process.argv[1] && resolve(process.argv[1]) === resolve(REPO_ROOT, 'bench', 'train.mjs')) {
  await runTrain();
}
