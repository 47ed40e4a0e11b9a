// bench:transfer — "Pretrained features" against the convnet from scratch and the exported
// PyTorch head (issue 13): validation accuracy on the tutorial-shaped photos (v1, then all of
// them as v2), the Tux Paint photos as they are and Fashion-MNIST (2 and 10 classes); feature
// extraction images/s on WASM; Train → model time with and without cached features; storage
// of the feature cache per 1 000 images. Medians of `runs` (default 3) runs, seeds 42, 43, …
// Every run is a fresh profile driven through the page; the convnet gets the wall-clock time
// the pretrained run took (Stop, then "Keep finished epochs"); the PyTorch anchor is the
// exported project's features.py + train.py with Debian's python3-torch on the same features.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { datasetsDir, makeDatasets } from '../test/harness/datasets.mjs';
import { CHROMIUM_ARGS, openFreshApp, runtimeInfo, startApp } from './lib/browser.mjs';
import { torchVersion } from './lib/exchange-train.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median } from './lib/stats.mjs';
import { openProfilePage, startProfilePage } from './lib/profile-page.mjs';
import { importZip, storedRun } from './lib/train-page.mjs';
import { chooseLayer, chooseModel, exportedHead, featureCacheSize, setInputs, trainSampled } from './lib/transfer-page.mjs';

const HEAD = { epochs: 10, batchSize: 32, learningRate: 0.001, backend: 'WASM' };
/** The convnet as bench:train runs it on photos (the app's default size), with more epochs than the budget allows. */
const SCRATCH = { imageSize: 64, epochs: 500, batchSize: 32, learningRate: 0.001, backend: 'WASM' };
/**
 * The choices compared with the default (block_10_depthwise_relu+out_relu at 160 px): the same
 * layers at the backbone's own 224 px (the default before), nsfwjs' own pooled output (its 7×7
 * pooling needs 224 px), and global average pooling after block_10, the last block nsfwjs left
 * with its ImageNet weights. A null layer is the default one.
 */
const OTHER_CHOICES = [
  { layer: null, imageSize: 224 },
  { layer: 'flatten_1', imageSize: 224 },
  { layer: 'block_10_project_BN', imageSize: 160 },
];
const choiceText = (/** @type {{ layer: string | null, imageSize: number }} */ c) => `${c.layer === null ? 'default layers' : `\`${c.layer}\``}, ${c.imageSize} px`;

/** The first `perClass[split]` files of each class of a tutorial-shaped zip, as `name` in a temp folder. */
function subsetZipFile(source, perClass, dir, name) {
  const files = unzipSync(new Uint8Array(readFileSync(source)));
  const taken = new Map();
  const out = {};
  for (const path of Object.keys(files).sort()) {
    const match = /^data\/(train|validation)\/([^/]+)\/[^/]+$/.exec(path);
    if (!match) continue;
    const key = `${match[1]}/${match[2]}`;
    if ((taken.get(key) ?? 0) >= perClass[match[1]]) continue;
    taken.set(key, (taken.get(key) ?? 0) + 1);
    out[path] = [files[path], { level: 0 }];
  }
  const path = join(dir, name);
  writeFileSync(path, zipSync(out));
  return path;
}

const loads = [];
const sampleLoad = () => loads.push(loadavg()[0]);

/** One pretrained run in a fresh profile: first Train, then (optionally) what `more` does with the same page. */
async function pretrainedRun(url, zip, seed, more = async () => ({})) {
  const app = await openFreshApp(url);
  try {
    const { page } = app;
    sampleLoad();
    await importZip(page, zip);
    await chooseModel(page, 'Pretrained features');
    const layer = await page.getByRole('combobox', { name: 'Feature layer', exact: true }).inputValue();
    const imageSize = Number(await page.getByRole('spinbutton', { name: 'Image size', exact: true }).inputValue());
    await setInputs(page, { ...HEAD, seed });
    const first = await trainSampled(page);
    const valAccuracy = first.run.version.metrics.val_accuracy;
    const exported = await exportedHead(page, 'v1');
    sampleLoad();
    const extra = await more(page);
    return { layer, imageSize, wallMs: first.wallMs, extraction: first.extraction, trainingMs: first.run.version.run.durationMs, valAccuracy, torch: exported, ...extra, runtime: await runtimeInfo(page), version: app.version };
  } finally {
    await app.close();
  }
}

/** The head on another layer's features or another image size, in a fresh profile. @param {{ layer: string | null, imageSize: number }} choice */
async function otherChoiceRun(url, zip, seed, choice) {
  const app = await openFreshApp(url);
  try {
    const { page } = app;
    await importZip(page, zip);
    await chooseModel(page, 'Pretrained features');
    if (choice.layer !== null) await chooseLayer(page, choice.layer);
    await setInputs(page, { ...HEAD, seed, imageSize: choice.imageSize });
    const run = await trainSampled(page);
    return { valAccuracy: run.run.version.metrics.val_accuracy, rate: run.extraction?.rate ?? null };
  } finally {
    await app.close();
  }
}

/** The convnet from scratch in a fresh profile, stopped after `budgetMs` (whole epochs kept). */
async function scratchRun(url, zip, seed, budgetMs) {
  const app = await openFreshApp(url);
  try {
    const { page } = app;
    await importZip(page, zip);
    await chooseModel(page, 'Convnet from scratch');
    await setInputs(page, { ...SCRATCH, seed });
    const result = await trainSampled(page, { stopAfterMs: budgetMs });
    sampleLoad();
    const history = result.run?.version.history ?? [];
    return { valAccuracy: history.at(-1)?.val_accuracy ?? null, epochs: history.length };
  } finally {
    await app.close();
  }
}

/**
 * The backbone alone at `layer` on random `size` px images in the profiling page (no reading,
 * decoding or storing): what the page's extraction rate would be if decoding cost nothing.
 * Medians of `rounds` rounds of 5 batches of 32, on every thread.
 * @param {string} layer @param {number} size @param {number} rounds
 */
async function extractionCompute(layer, size, rounds) {
  const server = await startProfilePage();
  try {
    const page = await openProfilePage(server.url);
    try {
      const rates = [];
      for (let i = 0; i < rounds; i++) {
        sampleLoad();
        const result = await page.page.evaluate(([l, z]) => /** @type {any} */ (window).profileFeatures(l, { batches: 5, size: z }), /** @type {const} */ ([layer, size]));
        rates.push(result.imagesPerSecond);
        console.log(`  ${result.imagesPerSecond.toFixed(1)} img/s on ${result.flags.threads} threads`);
      }
      return { rate: median(rates), rates };
    } finally {
      await page.close();
    }
  } finally {
    await server.close();
  }
}

const pct = (x) => (x === null || x === undefined ? '—' : `${(x * 100).toFixed(1)} %`);
const secs = (ms) => `${(ms / 1000).toFixed(1)} s`;
const med = (values) => median(values.filter((v) => v !== null && v !== undefined));

export async function runTransfer({ runs = 3 } = {}) {
  const torch = torchVersion();
  await makeDatasets(['fashion', 'photos', 'tutorial'], { folders: false });
  const root = datasetsDir();
  const temp = mkdtempSync(join(tmpdir(), 'pawprint-bench-transfer-'));
  const tutorial = join(root, 'tutorial', 'data.zip');
  // Fashion-MNIST is cut to subsets: every image costs a full backbone pass, whatever its size.
  const sets = [
    { key: 'tutorial', name: 'tutorial/data.zip v1 (500 + 400 per class)', zip: subsetZipFile(tutorial, { train: 500, validation: 400 }, temp, 'tutorial-v1.zip') },
    { key: 'photos', name: 'Tux Paint photos (photos/data.zip, 4 classes)', zip: join(root, 'photos', 'data.zip') },
    { key: 'fashion2', name: 'Fashion-MNIST sandal vs sneaker (fashion/data.zip, 200 + 200 per class)', zip: subsetZipFile(join(root, 'fashion', 'data.zip'), { train: 200, validation: 200 }, temp, 'fashion2.zip') },
    { key: 'fashion10', name: 'Fashion-MNIST, 10 classes (fashion/data10.zip, 60 + 30 per class)', zip: subsetZipFile(join(root, 'fashion', 'data10.zip'), { train: 60, validation: 30 }, temp, 'fashion10.zip') },
  ];
  const app = await startApp();
  const started = Date.now();
  /** @type {Record<string, any[]>} */
  const results = Object.fromEntries(sets.map((set) => [set.key, []]));
  /** @type {any[]} */
  const choices = [];
  try {
    for (let i = 0; i < runs; i++) {
      const seed = 42 + i;
      for (const set of sets) {
        console.log(`${set.key}, seed ${seed}: pretrained`);
        const pretrained = await pretrainedRun(app.url, set.zip, seed, async (page) => {
          const out = {};
          if (set.key === 'tutorial') {
            // Other params, same features: the head alone is trained again.
            await setInputs(page, { seed: seed + 1000 });
            out.rerun = await trainSampled(page);
            out.cache = await featureCacheSize(page);
            // v2: the rest of the tutorial's images; only they need features.
            await importZip(page, tutorial);
            await setInputs(page, { seed });
            const v2 = await trainSampled(page);
            out.v2 = { wallMs: v2.wallMs, valAccuracy: v2.run.version.metrics.val_accuracy, featureCache: v2.run.version.run.featureCache, torch: await exportedHead(page, 'v2') };
          }
          return out;
        });
        console.log(`  ${secs(pretrained.wallMs)}, ${pretrained.extraction?.rate} img/s, val ${pct(pretrained.valAccuracy)}, PyTorch ${pct(pretrained.torch.valAccuracy)}`);
        console.log(`${set.key}, seed ${seed}: convnet for ${secs(pretrained.wallMs)}`);
        const scratch = await scratchRun(app.url, set.zip, seed, pretrained.wallMs);
        console.log(`  val ${pct(scratch.valAccuracy)} after ${scratch.epochs} epochs`);
        results[set.key].push({ seed, pretrained, scratch });
        for (const choice of i === 0 && (set.key === 'tutorial' || set.key === 'photos') ? OTHER_CHOICES : []) {
          console.log(`${set.key}, seed ${seed}: ${choiceText(choice)}`);
          choices.push({ set, choice, ...(await otherChoiceRun(app.url, set.zip, seed, choice)) });
        }
      }
    }
  } finally {
    await app.close();
    rmSync(temp, { recursive: true, force: true });
  }
  console.log('extraction compute alone (profiling page)');
  const compute = await extractionCompute(results.tutorial[0].pretrained.layer, results.tutorial[0].pretrained.imageSize, runs);
  writeSection('transfer', report({ sets, results, choices, runs, torch, compute, minutes: (Date.now() - started) / 60000 }));
}

function report({ sets, results, choices, runs, torch, compute, minutes }) {
  const any = results.tutorial[0].pretrained;
  const accuracyRows = [];
  for (const set of sets) {
    const rows = results[set.key];
    accuracyRows.push(
      `| ${set.name} | ${pct(med(rows.map((r) => r.pretrained.valAccuracy)))} | ${pct(med(rows.map((r) => r.scratch.valAccuracy)))} (${med(rows.map((r) => r.scratch.epochs))} epochs in ${secs(med(rows.map((r) => r.pretrained.wallMs)))}) | ${pct(med(rows.map((r) => r.pretrained.torch.valAccuracy)))} |`,
    );
    if (set.key === 'tutorial') {
      accuracyRows.push(`| tutorial/data.zip v2 (+ the other 500 per class) | ${pct(med(rows.map((r) => r.pretrained.v2.valAccuracy)))} | — | ${pct(med(rows.map((r) => r.pretrained.v2.torch.valAccuracy)))} |`);
    }
  }
  const tutorial = results.tutorial;
  const rate = (key) => med(results[key].map((r) => r.pretrained.extraction?.rate ?? null));
  const cache = tutorial[0].pretrained.cache;
  const perThousand = cache ? (cache.bytes / cache.rows) * 1000 : NaN;
  const targets = sets
    .filter((set) => set.key === 'tutorial' || set.key === 'photos')
    .map((set) => {
      const rows = results[set.key];
      const p = med(rows.map((r) => r.pretrained.valAccuracy));
      const s = med(rows.map((r) => r.scratch.valAccuracy)) ?? 0;
      return `- ${set.name}: pretrained ${pct(p)} (target ≥ 95 %: ${p >= 0.95 ? 'met' : 'missed'}), ${((p - s) * 100).toFixed(1)} points above the convnet at the same wall-clock budget (target ≥ 10: ${p - s >= 0.1 ? 'met' : 'missed'}).`;
    });
  const rateText = (x) => (Number.isFinite(x) ? x.toFixed(0) : '—');
  const howMany = runs === 1 ? 'one run (seed 42)' : `medians of ${runs} runs (seeds 42…${41 + runs})`;
  return `## Pretrained features (bench:transfer)

"Pretrained features" (the bundled MobileNetV2, layer \`${any.layer}\`, ${any.imageSize} px; the tutorial's head: Dense 256 ReLU → Dropout 0.5 → output, ${HEAD.epochs} epochs, batch ${HEAD.batchSize}, Adam ${HEAD.learningRate}) against the convnet from scratch (${SCRATCH.imageSize} px) given the same wall-clock time (from pressing Train to the stored model of the pretrained run, feature computation included: Stop, then "Keep finished epochs"), and against the exported project's PyTorch head (\`features.py\` then \`train.py\`, Debian python3-torch ${torch}, same features, params and seed). Every run is a fresh browser profile driven through the page on the WASM backend; ${howMany}. Extraction images/s is the rate the page shows (whole images/s) at the end of the computation, decoding included.

- Date: ${today()}; whole benchmark ${minutes.toFixed(0)} min
- Machine: ${machineLine()}; shared: 1-min load average ${loads.map((l) => l.toFixed(1)).join(' → ')} during the run
- Chromium: ${any.version} (Debian), headless, \`${CHROMIUM_ARGS.join(' ')}\`; adapter: ${any.runtime.adapterString}

| data | pretrained features | convnet from scratch, same time | exported PyTorch head |
| --- | --- | --- | --- |
${accuracyRows.join('\n')}

| | tutorial v1 (1 800 images) | photos (215) | Fashion 2 (800) | Fashion 10 (900) |
| --- | --- | --- | --- | --- |
| feature extraction, images/s (WASM) | ${rateText(rate('tutorial'))} | ${rateText(rate('photos'))} | ${rateText(rate('fashion2'))} | ${rateText(rate('fashion10'))} |
| Train → model, first run (features computed) | ${secs(med(tutorial.map((r) => r.pretrained.wallMs)))} | ${secs(med(results.photos.map((r) => r.pretrained.wallMs)))} | ${secs(med(results.fashion2.map((r) => r.pretrained.wallMs)))} | ${secs(med(results.fashion10.map((r) => r.pretrained.wallMs)))} |

- Head retraining on cached features (tutorial v1, other seed, Train → stored model): ${secs(med(tutorial.map((r) => r.pretrained.rerun.wallMs)))} (target ≤ 10 s: ${med(tutorial.map((r) => r.pretrained.rerun.wallMs)) <= 10_000 ? 'met' : 'missed'}); the same head in PyTorch (train.py on the exported features): ${secs(med(tutorial.map((r) => r.pretrained.torch.trainMs)))} whole process.
- v2 (the tutorial's other 1 000 images added): Train → model ${secs(med(tutorial.map((r) => r.pretrained.v2.wallMs)))}, features computed for ${tutorial[0].pretrained.v2.featureCache.computed} images, ${tutorial[0].pretrained.v2.featureCache.cached} from the cache.
- Feature extraction target (≥ 50 images/s on WASM): ${rate('tutorial') >= 50 ? 'met' : 'missed'} (${rateText(rate('tutorial'))} images/s on the tutorial's JPEGs, decoding included). The backbone alone on random images (bench/profile, no reading, decoding or storing): ${rateText(compute.rate)} images/s (rounds: ${compute.rates.map(rateText).join(', ')}), so reading, decoding and storing take ${Number.isFinite(compute.rate) ? `${(100 * (1 - rate('tutorial') / compute.rate)).toFixed(0)} %` : '?'} of the page's extraction time.
- Feature cache: ${fmt(perThousand / 1e6)} MB per 1 000 images (${cache?.rows} rows, ${fmt((cache?.bytes ?? 0) / 1e6)} MB: float32 × ${cache ? cache.bytes / cache.rows / 4 : '?'} values per image).
${targets.join('\n')}

Layer and image size (seed 42, a fresh profile per choice, validation accuracy and extraction images/s):

| data | \`${any.layer}\`, ${any.imageSize} px (default) | ${OTHER_CHOICES.map(choiceText).join(' | ')} |
| --- | --- | ${OTHER_CHOICES.map(() => '---').join(' | ')} |
${[...new Set(choices.map((c) => c.set))].map((set) => `| ${set.name} | ${pct(results[set.key][0].pretrained.valAccuracy)} (${rateText(results[set.key][0].pretrained.extraction?.rate ?? NaN)} img/s) | ${OTHER_CHOICES.map((choice) => choices.find((c) => c.set === set && c.choice === choice)).map((c) => `${pct(c?.valAccuracy)} (${rateText(c?.rate ?? NaN)} img/s)`).join(' | ')} |`).join('\n')}

Per run: ${sets
    .map((set) => `${set.key}: ${results[set.key].map((r) => `seed ${r.seed} pretrained ${pct(r.pretrained.valAccuracy)} in ${secs(r.pretrained.wallMs)} (${rateText(r.pretrained.extraction?.rate ?? NaN)} img/s), convnet ${pct(r.scratch.valAccuracy)} (${r.scratch.epochs} epochs), PyTorch ${pct(r.pretrained.torch.valAccuracy)}`).join('; ')}`)
    .join('. ')}.
`;
}
