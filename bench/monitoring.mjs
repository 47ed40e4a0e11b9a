// bench:monitoring — issue 15's figures: batch predict per backend next to PyTorch, what
// monitoring adds per image, the drift check, and the deployed app's size and first prediction.
//
// Data (Fashion-MNIST from Debian's dataset-fashion-mnist, no network): the model trains on
// fashion/data.zip (sandal vs sneaker, 1 000 train + 800 validation, 28×28 grey PNGs; built by
// scripts/make-datasets.mjs when missing) at 28 px, 3 epochs, WASM, seed 42, and is committed as
// v1.0 and put in production through the Registry region. Batches are folders written here:
//   - batch: 1 000 t10k images the model never saw (the last 500 sandals and 500 sneakers of
//     t10k; data.zip's validation takes the first 400 of each), in class folders (labelled);
//   - validation: data.zip's own 800 validation images (drift check a);
//   - boots: 400 t10k ankle boots, a class the model does not know (drift check b).
// Each batch is picked with "Batch predict a folder", as a person would; figures come from the
// stored monitoring record (IndexedDB) and the page's Drift line.
//   - images/s = images / record.durationMs (from reading the first file to the last
//     prediction: each image read, decoded, preprocessed, predicted and read back on its own in
//     the train worker), per backend that starts here (switched with
//     window.pawprint.useBackend between batches), RUNS batches each, medians;
//   - monitoring overhead per image = (click → the batch's result and figures shown −
//     record.durationMs) / images: what keeping the batch costs on top of predicting (handing the
//     files to the worker, storing the 1 000 images and the record, listing the batches and
//     summarising this one in the page); the refresh of the other regions every write is
//     followed by comes after, and is not counted;
//   - PyTorch: bench/pytorch_predict.py with the exported train.py's model and the page's
//     weights ("Download model"), the same 1 000 PNGs one at a time (PIL decode, scale,
//     model(x), softmax) on as many threads as the page's kernels (every core), interleaved
//     with the WASM batches, medians; its probabilities are
//     compared with the page's (same predicted class, largest difference);
//   - drift: PSI of batches validation and boots, and whether the page's flag (its default threshold) fired;
//   - deploy: "Download app" of production, its zip's size; the unzipped folder served by
//     Python's http.server on a fresh port each run (a first visit: nothing cached), time from
//     opening the page to the first prediction of a picked image, and to the model being ready.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { loadFashion, FASHION_CLASSES } from '../scripts/datasets/fashion.mjs';
import { encodePng } from '../scripts/datasets/png.mjs';
import { datasetsDir, makeDatasets } from '../test/harness/datasets.mjs';
import { PYTHON_PATH, serveFolder } from '../test/harness/static-server.mjs';
import { REPO_ROOT } from '../test/harness/server.mjs';
import { openFreshApp, runtimeInfo, startApp } from './lib/browser.mjs';
import { writeExportedTrainPy } from './lib/exported-train-py.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median } from './lib/stats.mjs';
import { importZip, setInputs, trainAndWait } from './lib/train-page.mjs';

const BACKENDS = ['wasm', 'webgl', 'webgpu', 'cpu'];
/** A backend slower than this many images/s gets one batch, not RUNS (the CPU backend: plain JavaScript). */
const SLOW = 50;
const log = (/** @type {string} */ text) => console.log(`bench:monitoring: ${text}`);

/** @param {{ runs?: number }} options */
export async function runMonitoring(options = {}) {
  const runs = options.runs ?? 3;
  const loads = [loadavg()[0]];
  const dataZip = join(datasetsDir(), 'fashion', 'data.zip');
  if (!existsSync(dataZip)) await makeDatasets(['fashion']);
  const work = mkdtempSync(join(tmpdir(), 'pawprint-bench-monitoring-'));
  const app = await startApp();
  try {
    const folders = writeBatches(work, dataZip);
    const opened = await openFreshApp(app.url);
    const { page } = opened;
    try {
      const runtime = await runtimeInfo(page);
      log('training v1.0');
      await importZip(page, dataZip);
      await setInputs(page, { imageSize: 28, epochs: 3, seed: 42, backend: 'WASM' });
      await trainAndWait(page, 600_000);
      const valAccuracy = await page.evaluate(() => document.querySelector('[aria-label="Acceptance"]')?.textContent ?? '');
      await commit(page, 'Sandal vs sneaker, 3 epochs', 'v1.0');
      await promote(page);
      const modelFiles = await downloads(page, page.getByRole('list', { name: 'Versions', exact: true }).getByRole('button', { name: 'Download model', exact: true }), 3);
      const modelDir = join(work, 'model');
      mkdirSync(modelDir);
      for (const [name, bytes] of modelFiles) writeFileSync(join(modelDir, name), bytes);
      const listFile = join(work, 'batch-files.txt');
      writeFileSync(listFile, folders.batchPaths.join('\n'));
      const trainPy = await writeExportedTrainPy();

      /** @type {Record<string, { rates: number[], overheads: number[], p50: number[], p95: number[], p99: number[] }>} */
      const perBackend = {};
      /** @type {any[]} */
      const torchRuns = [];
      /** @type {any} */
      let lastWasm = null;
      for (const backend of BACKENDS) {
        const started = await page.evaluate((name) => window.pawprint.useBackend(name), backend);
        if (!started) {
          log(`${backend} does not start here`);
          continue;
        }
        const figures = (perBackend[backend] = { rates: [], overheads: [], p50: [], p95: [], p99: [] });
        for (let run = 0; run < runs; run++) {
          const batch = await predictFolder(page, folders.batch);
          loads.push(loadavg()[0]);
          figures.rates.push(batch.imagesPerSecond);
          figures.overheads.push(batch.overheadMs);
          figures.p50.push(batch.p50);
          figures.p95.push(batch.p95);
          figures.p99.push(batch.p99);
          log(`${backend} run ${run + 1}: ${fmt(batch.imagesPerSecond)} images/s, overhead ${batch.overheadMs.toFixed(3)} ms/image`);
          if (backend === 'wasm') {
            lastWasm = batch.record;
            const torch = pytorch(trainPy, modelDir, listFile);
            torchRuns.push(torch);
            log(`PyTorch: ${torch.byThreads.join(', ')} threads (images/s)`);
          }
          if (batch.imagesPerSecond < SLOW) break;
        }
      }
      const agreement = compare(lastWasm, torchRuns.at(-1), folders.batch);

      await page.evaluate((name) => window.pawprint.useBackend(name), 'wasm');
      log('drift check');
      const drift = {
        validation: (await predictFolder(page, folders.validation)).drift,
        boots: (await predictFolder(page, folders.boots)).drift,
      };

      log('deploy');
      const deploy = await deployFigures(page, work, folders.anImage, runs);
      loads.push(loadavg()[0]);

      writeSection('monitoring', report({ runs, runtime, valAccuracy, perBackend, torchRuns, agreement, drift, deploy, loads, chromium: opened.version }));
      log('BENCHMARKS.md updated');
    } finally {
      await opened.close();
    }
  } finally {
    await app.close();
    rmSync(work, { recursive: true, force: true });
  }
}

/** The batch folders (and one image for the deployed app), written from the IDX files and data.zip. */
function writeBatches(work, dataZip) {
  const { t10k } = loadFashion();
  const write = (path, pixels) => {
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, encodePng(28, 28, 1, pixels));
    return path;
  };
  const ofClass = (label) => {
    const index = FASHION_CLASSES.indexOf(label);
    const out = [];
    for (let i = 0; i < t10k.count; i++) if (t10k.labels[i] === index) out.push(t10k.images.subarray(i * 784, (i + 1) * 784));
    return out;
  };
  const batch = join(work, 'batch');
  const batchPaths = [];
  for (const label of ['sandal', 'sneaker']) {
    ofClass(label).slice(500, 1000).forEach((pixels, i) => batchPaths.push(write(join(batch, label, `${label}-${500 + i}.png`), pixels)));
  }
  const boots = join(work, 'boots');
  ofClass('ankle-boot').slice(0, 400).forEach((pixels, i) => write(join(boots, `boot-${i}.png`), pixels));
  const validation = join(work, 'validation');
  for (const [path, bytes] of Object.entries(unzipSync(new Uint8Array(readFileSync(dataZip)), { filter: (file) => file.name.includes('/validation/') }))) {
    if (path.endsWith('/')) continue;
    const target = join(validation, path.split('/').slice(-2).join('/'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, bytes);
  }
  return { batch, batchPaths, boots, validation, anImage: batchPaths[0] };
}

/** @param {import('playwright-core').Page} page @param {string} message @param {string} tag */
async function commit(page, message, tag) {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(message);
  await page.getByRole('textbox', { name: 'Tag', exact: true }).fill(tag);
  await page.getByRole('button', { name: 'Commit', exact: true }).click();
  await page.getByRole('status', { name: 'Versions result', exact: true }).waitFor();
}

/** Puts HEAD (the form's default) in production; fails when the page refuses. @param {import('playwright-core').Page} page */
async function promote(page) {
  const registry = page.getByRole('region', { name: 'Registry', exact: true });
  await registry.getByRole('combobox', { name: 'Stage', exact: true }).fill('production');
  await registry.getByRole('button', { name: 'Assign stage', exact: true }).click();
  const result = registry.getByRole('status', { name: 'Registry result', exact: true });
  const alert = registry.getByRole('alert');
  await Promise.race([result.waitFor(), alert.waitFor()]);
  if (await alert.count()) throw new Error(`promotion refused: ${await alert.innerText()}`);
}

/** Clicks a button and collects `count` downloads: name → bytes. */
async function downloads(page, button, count) {
  /** @type {import('playwright-core').Download[]} */
  const got = [];
  const listener = (/** @type {import('playwright-core').Download} */ d) => got.push(d);
  page.on('download', listener);
  await button.click();
  const deadline = Date.now() + 60_000;
  while (got.length < count) {
    if (Date.now() > deadline) throw new Error(`expected ${count} downloads, got ${got.length}`);
    await page.waitForTimeout(100);
  }
  page.off('download', listener);
  return new Map(await Promise.all(got.map(async (d) => [d.suggestedFilename(), new Uint8Array(readFileSync(/** @type {string} */ (await d.path())))])));
}

/**
 * "Batch predict a folder" and what it gave: the newest monitoring record's figures, the time
 * from the click to the result, and the Drift line's PSI and flag.
 * @param {import('playwright-core').Page} page @param {string} folder
 */
async function predictFolder(page, folder) {
  const region = page.getByRole('region', { name: 'Monitoring', exact: true });
  // Kept batches are the options of "Batch": one more, and the result shown, means this one is in.
  // (Only the page's DOM is polled while it works: reading the records from IndexedDB would load it.)
  const batches = region.getByRole('combobox', { name: 'Batch', exact: true }).locator('option');
  const before = await batches.count();
  const result = region.getByRole('status', { name: 'Batch result', exact: true });
  const input = region.getByLabel('Batch predict a folder', { exact: true });
  // The previous batch is over when the page has re-read everything after it (the input is enabled again).
  while (!(await input.isEnabled())) await page.waitForTimeout(50);
  const started = Date.now();
  await input.setInputFiles(folder);
  const deadline = Date.now() + 1_800_000;
  for (;;) {
    const alert = region.getByRole('alert');
    if (await alert.count()) throw new Error(`batch predict failed: ${await alert.innerText()}`);
    if ((await batches.count()) > before && (await result.count())) break;
    if (Date.now() > deadline) throw new Error('batch predict did not finish within 30 minutes');
    await page.waitForTimeout(10);
  }
  const shownMs = Date.now() - started;
  const record = await newestRecord(page);
  const driftText = (await region.getByRole('status', { name: 'Drift', exact: true }).innerText()).replace(/\s+/g, ' ');
  const { predictions, durationMs } = record.record;
  const latencies = predictions.map((/** @type {{ latencyMs: number }} */ p) => p.latencyMs);
  return {
    record: record.record,
    imagesPerSecond: (predictions.length * 1000) / durationMs,
    overheadMs: (shownMs - durationMs) / predictions.length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    drift: { psi: Number(/PSI ([\d.]+)/.exec(driftText)?.[1]), flagged: driftText.startsWith('Drift:'), images: predictions.length, predicted: countsOf(record.record) },
  };
}

/** Predictions per class of a record. */
function countsOf(record) {
  const counts = record.classNames.map(() => 0);
  for (const p of record.predictions) counts[p.predicted] += 1;
  return Object.fromEntries(record.classNames.map((name, i) => [name, counts[i]]));
}

/** numpy.percentile's default (linear between ranks). @param {number[]} values @param {number} p */
function percentile(values, p) {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = ((sorted.length - 1) * p) / 100;
  const low = Math.floor(rank);
  const high = Math.min(low + 1, sorted.length - 1);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

/** The newest monitoring record in the app's IndexedDB. @param {import('playwright-core').Page} page */
function newestRecord(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('pawprint');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const records = await new Promise((resolve, reject) => {
        const request = /** @type {IDBDatabase} */ (db).transaction('objects', 'readonly').objectStore('objects').index('kind').getAll('monitoring');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const parsed = /** @type {{ id: string, json: string }[]} */ (records).map((r) => ({ id: r.id, record: JSON.parse(r.json) }));
      parsed.sort((a, b) => Date.parse(b.record.createdAt) - Date.parse(a.record.createdAt));
      return parsed[0] ?? null;
    } finally {
      /** @type {IDBDatabase} */ (db).close();
    }
  });
}

/**
 * One PyTorch pass over the batch's images (bench/pytorch_predict.py) with one thread and with
 * every core; the faster is kept (on this shared machine PyTorch's OpenMP threads stall when a
 * core is busy elsewhere: batch-1 inference on two threads ran 20× slower than on one).
 */
function pytorch(trainPy, modelDir, listFile) {
  const pass = (threads) =>
    JSON.parse(
      execFileSync(
        PYTHON_PATH,
        [join(REPO_ROOT, 'bench', 'pytorch_predict.py'), '--train-py', trainPy, '--model-json', join(modelDir, 'model.json'), '--weights', join(modelDir, 'weights.bin'), '--size', '28', '--classes', '2', '--images', listFile, '--runs', '1', '--threads', String(threads)],
        { encoding: 'utf8', maxBuffer: 64 << 20 },
      ),
    );
  const passes = [...new Set([1, cpus().length])].map(pass);
  const best = passes.reduce((a, b) => (b.imagesPerSecond > a.imagesPerSecond ? b : a));
  return { ...best, byThreads: passes.map((p) => `${fmt(p.imagesPerSecond)} on ${p.threads}`), load: loadavg()[0] };
}

/** Same predicted class, and the largest probability difference, page vs PyTorch, per image. */
function compare(record, torch, folder) {
  let same = 0;
  let maxDiff = 0;
  for (const p of record.predictions) {
    const probabilities = torch.probabilities[join(dirname(folder), p.name)];
    if (!probabilities) throw new Error(`PyTorch has no prediction for ${p.name}`);
    const argmax = probabilities.indexOf(Math.max(...probabilities));
    if (argmax === p.predicted) same += 1;
    p.probabilities.forEach((q, i) => (maxDiff = Math.max(maxDiff, Math.abs(q - probabilities[i]))));
  }
  return { same, images: record.predictions.length, maxDiff };
}

/** "Download app" of production: zip size; served fresh per run, time to the model ready and to the first prediction. */
async function deployFigures(page, work, image, runs) {
  const stages = page.getByRole('region', { name: 'Registry', exact: true }).getByRole('table', { name: 'Stages', exact: true });
  const [[name, zip]] = [...(await downloads(page, stages.getByRole('button', { name: 'Download app of production', exact: true }), 1))];
  const folder = join(work, 'app');
  for (const [path, bytes] of Object.entries(unzipSync(zip))) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), bytes);
  }
  const ready = [];
  const first = [];
  for (let run = 0; run < runs; run++) {
    const site = await serveFolder(folder);
    const deployed = await page.context().newPage();
    try {
      const started = Date.now();
      await deployed.goto(`${site.url}/`);
      const pick = deployed.getByLabel('Classify an image', { exact: true });
      await deployed.waitForFunction(() => !(/** @type {HTMLInputElement} */ (document.getElementById('pick'))).disabled, null, { timeout: 60_000 });
      ready.push(Date.now() - started);
      await pick.setInputFiles(image);
      await deployed.getByRole('list', { name: 'Class probabilities', exact: true }).getByRole('listitem').first().waitFor();
      first.push(Date.now() - started);
    } finally {
      await deployed.close();
      await site.close();
    }
  }
  return { name, bytes: zip.byteLength, files: Object.keys(unzipSync(zip)).length, readyMs: median(ready), firstMs: median(first), ready, first };
}

function report({ runs, runtime, valAccuracy, perBackend, torchRuns, agreement, drift, deploy, loads, chromium }) {
  const torchRate = median(torchRuns.map((t) => t.imagesPerSecond));
  const rows = Object.entries(perBackend).map(([backend, f]) => {
    const rate = median(f.rates);
    return `| ${backend} | ${f.rates.length} | ${fmt(rate)} | ${fmt(median(f.p50))} / ${fmt(median(f.p95))} / ${fmt(median(f.p99))} | ${(rate / torchRate).toFixed(2)}× | ${median(f.overheads).toFixed(3)} |`;
  });
  const kb = (bytes) => `${(bytes / 1000).toFixed(0)} KB`;
  return `## Monitoring (bench:monitoring)

- Date: ${today()}; machine: ${machineLine()}; 1-min load average ${loads.map((l) => l.toFixed(1)).join(' → ')} (shared with other work during the run).
- Browser: Chromium ${chromium}, headless; status line: ${runtime.statusText}; WebGPU adapter: ${runtime.adapterString}.
- Model: reference convnet, Fashion-MNIST sandal vs sneaker (fashion/data.zip, 1 000 train + 800 validation), 28 px, 3 epochs on WASM, seed 42; ${valAccuracy.trim()} Committed as v1.0 and put in production.
- Batch: 1 000 t10k images the model never saw (500 sandals, 500 sneakers, labelled by folder), picked with "Batch predict a folder"; each image decoded, preprocessed, predicted and read back on its own in the train worker (as a deployed model answers requests). ${runs} batches per backend (one when a batch runs under ${SLOW} images/s), medians.
- PyTorch anchor: bench/pytorch_predict.py, the exported train.py's ReferenceConvnet with v1.0's weights, the same 1 000 PNGs one at a time (PIL decode, scale, model, softmax), torch ${torchRuns[0]?.torch}, after each WASM batch one pass on one thread and one on every core, the faster kept (images/s: ${torchRuns.map((t) => t.byThreads.join(' / ')).join('; ')} threads; median of the kept ${fmt(torchRate)}). Same predicted class for ${agreement.same} of ${agreement.images} images; largest probability difference ${agreement.maxDiff.toExponential(1)}.

| backend | batches | images/s | latency p50 / p95 / p99 (ms) | vs PyTorch | monitoring overhead (ms/image) |
|---|---|---|---|---|---|
${rows.join('\n')}

Monitoring overhead = (click → the batch's result and figures shown − the record's time from the first read to the last prediction) / images: handing the files to the worker, storing the images and the record, listing the batches and summarising this one in the page (the refresh of the other regions that follows every write is not counted). Target < 1 ms.

**Drift check** (PSI of predicted vs training class shares; the page flags above 0.1, its default, and calls above 0.25 significant; WASM):

| batch | images | predicted | PSI | flagged | target |
|---|---|---|---|---|---|
| (a) its own validation images | ${drift.validation.images} | ${Object.entries(drift.validation.predicted).map(([k, v]) => `${k} ${v}`).join(', ')} | ${drift.validation.psi.toFixed(3)} | ${drift.validation.flagged ? 'yes' : 'no'} | no |
| (b) ankle boots (a class it does not know) | ${drift.boots.images} | ${Object.entries(drift.boots.predicted).map(([k, v]) => `${k} ${v}`).join(', ')} | ${drift.boots.psi.toFixed(3)} | ${drift.boots.flagged ? 'yes' : 'no'} | yes |

**Deploy** ("Download app" of production): ${deploy.name}, ${kb(deploy.bytes)} (${deploy.files} files: page, tfjs-core + layers + cpu and wasm backends in one script, the two wasm binaries, the model, release.json). Served by Python's http.server on a fresh port each run (a first visit, nothing cached): model ready ${fmt(deploy.readyMs)} ms, first prediction of a picked image ${fmt(deploy.firstMs)} ms after opening the page (medians of ${deploy.first.length}: ${deploy.first.join(', ')} ms).
`;
}
