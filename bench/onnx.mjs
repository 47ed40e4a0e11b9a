// bench:onnx — the model.onnx of "Download ONNX" in ONNX Runtime (onnxruntime-node, CPU) next to
// the page's own inference, in the same run: Fashion-MNIST sandal vs sneaker (160 + 40 images a
// class) trained 1 epoch at 28 px on WASM in the page, then
//   - the page: "Classify an image" on IMAGES validation images, its "Inference: X ms" line
//     (the train worker's predict, one image at a time) → images/s = 1000 / median ms;
//   - ONNX Runtime in Node on the same images, decoded the same way (28 px PNG → RGB / 255):
//     one image a call (median ms → images/s) and all IMAGES in one batch (images/s).
// RUNS runs, fresh profile each; medians.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import { buildAndServe } from '../test/harness/server.mjs';
import { openFreshApp } from './lib/browser.mjs';
import { fashionPair } from './lib/exchange-data.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median } from './lib/stats.mjs';
import { classifyLatencies, importZip, setInputs, trainAndWait } from './lib/train-page.mjs';

const RUNS = 3;
const IMAGES = 40;
const ORT_REPEATS = 20;
const log = (/** @type {string} */ text) => console.log(`bench:onnx: ${text}`);

/** The training subset and the validation images as files, in `scratch`. @param {string} scratch */
async function inputs(scratch) {
  const files = unzipSync(new Uint8Array(readFileSync(await fashionPair())));
  /** @type {Record<string, Uint8Array>} */
  const subset = {};
  const taken = new Map();
  for (const name of Object.keys(files).sort()) {
    const match = /^data\/(train|validation)\/([^/]+)\//.exec(name);
    if (!match) continue;
    const key = `${match[1]}/${match[2]}`;
    if ((taken.get(key) ?? 0) >= (match[1] === 'train' ? 160 : 40)) continue;
    taken.set(key, (taken.get(key) ?? 0) + 1);
    subset[name] = /** @type {Uint8Array} */ (files[name]);
  }
  const zip = join(scratch, 'fashion-subset.zip');
  writeFileSync(zip, zipSync(subset, { level: 0 }));
  const validation = Object.keys(subset).filter((name) => name.startsWith('data/validation/')).slice(0, IMAGES);
  const images = validation.map((name, i) => {
    const path = join(scratch, `v${i}-${name.split('/').at(-1)}`);
    writeFileSync(path, /** @type {Uint8Array} */ (subset[name]));
    return path;
  });
  const notAnImage = join(scratch, 'not-an-image.png');
  writeFileSync(notAnImage, 'not an image');
  return { zip, images, notAnImage };
}

/** 28×28 PNG → float32 RGB in [0, 1], as the page prepares it. @param {string} path */
function pixels(path) {
  const { data, width, height } = PNG.sync.read(readFileSync(path));
  return Float32Array.from({ length: width * height * 3 }, (_, i) => /** @type {number} */ (data[Math.floor(i / 3) * 4 + (i % 3)]) / 255);
}

/** @param {Uint8Array} model @param {Float32Array[]} images */
async function runtimeFigures(model, images) {
  const session = await ort.InferenceSession.create(model);
  const one = async (/** @type {Float32Array} */ x) => session.run({ image: new ort.Tensor('float32', x, [1, 28, 28, 3]) });
  await one(/** @type {Float32Array} */ (images[0])); // warm-up
  /** @type {number[]} */
  const single = [];
  for (let r = 0; r < ORT_REPEATS; r++) {
    for (const x of images) {
      const t = performance.now();
      await one(x);
      single.push(performance.now() - t);
    }
  }
  const batch = new Float32Array(images.length * 28 * 28 * 3);
  images.forEach((x, i) => batch.set(x, i * x.length));
  /** @type {number[]} */
  const batched = [];
  for (let r = 0; r < ORT_REPEATS; r++) {
    const t = performance.now();
    await session.run({ image: new ort.Tensor('float32', batch, [images.length, 28, 28, 3]) });
    batched.push(performance.now() - t);
  }
  return { singleMs: median(single), batchImagesPerSecond: images.length / (median(batched) / 1000) };
}

/** @param {{ runs?: number }} [options] */
export async function runOnnx(options = {}) {
  const runs = options.runs ?? RUNS;
  const scratch = mkdtempSync(join(tmpdir(), 'pawprint-bench-onnx-'));
  const app = await buildAndServe({ outDir: '.cache/bench-onnx-dist' });
  try {
    const files = await inputs(scratch);
    const decoded = files.images.map(pixels);
    /** @type {any[]} */
    const results = [];
    for (let i = 0; i < runs; i++) {
      const load = loadavg()[0];
      const opened = await openFreshApp(app.url);
      try {
        const { page } = opened;
        await importZip(page, files.zip);
        await setInputs(page, { imageSize: 28, epochs: 1, backend: 'WASM' });
        const trained = await trainAndWait(page, 600_000);
        const download = page.waitForEvent('download');
        await page.getByRole('region', { name: 'Training', exact: true }).getByRole('button', { name: 'Download ONNX', exact: true }).click();
        const model = new Uint8Array(readFileSync(/** @type {string} */ (await (await download).path())));
        const pageMs = median(await classifyLatencies(page, files.images, files.notAnImage));
        const runtime = await runtimeFigures(model, decoded);
        results.push({ load, pageMs, ...runtime, modelBytes: model.byteLength, backendLine: trained.backendLine, chromium: opened.version });
        log(`run ${i + 1}: page ${fmt(pageMs)} ms/image, ONNX Runtime ${fmt(runtime.singleMs)} ms/image, batch ${fmt(runtime.batchImagesPerSecond)} images/s (load ${fmt(load)})`);
      } finally {
        await opened.close();
      }
    }
    writeSection('onnx', section(results, runs));
    log('BENCHMARKS.md updated');
  } finally {
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** @param {any[]} results @param {number} runs */
function section(results, runs) {
  const pageRate = 1000 / median(results.map((r) => r.pageMs));
  const singleRate = 1000 / median(results.map((r) => r.singleMs));
  const batchRate = median(results.map((r) => r.batchImagesPerSecond));
  return `## ONNX export in ONNX Runtime, next to the page (\`npm run bench:onnx\`)

${today()} · ${machineLine()} · Chromium ${results[0]?.chromium ?? '?'} headless · onnxruntime-node ${ort.env.versions?.node ?? '?'} (CPU) · ${runs} runs, fresh profile each · load average (1 min) at each run's start: ${results.map((r) => fmt(r.load)).join(', ')}.

The reference convnet trained 1 epoch at 28 px on WASM in the page (${results[0]?.backendLine ?? ''}),
its model.onnx (${fmt((results[0]?.modelBytes ?? 0) / 1e6)} MB) from "Download ONNX"; ${IMAGES} Fashion-MNIST validation images.

| inference | images/s (median) | × the page | per run |
| --- | --- | --- | --- |
| the page: "Classify an image", one image at a time (its "Inference" time) | ${fmt(pageRate)} | 1 | ${results.map((r) => fmt(1000 / r.pageMs)).join(', ')} |
| ONNX Runtime (Node, CPU), one image a call | ${fmt(singleRate)} | ${fmt(singleRate / pageRate)} | ${results.map((r) => fmt(1000 / r.singleMs)).join(', ')} |
| ONNX Runtime (Node, CPU), ${IMAGES} images in one batch | ${fmt(batchRate)} | ${fmt(batchRate / pageRate)} | ${results.map((r) => fmt(r.batchImagesPerSecond)).join(', ')} |
`;
}
