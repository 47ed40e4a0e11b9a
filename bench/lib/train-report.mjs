// bench:train's section of BENCHMARKS.md, from the measurements bench/train.mjs keeps in
// .cache/bench-train.json (BENCH_TRAIN_REPORT_FROM=<file> rewrites it without measuring).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../test/harness/server.mjs';
import { CHROMIUM_ARGS } from './browser.mjs';
import { machineLine } from './machine.mjs';
import { fmt, median } from './stats.mjs';
import { BATCH, FIRST_SEED, LR, PYTORCH_TRIES, SIZE, TARGET_ACCURACY_POINTS, TARGET_RATIO } from './train-config.mjs';

/** @param {number} x */
const pct = (x) => `${(x * 100).toFixed(1)} %`;
/** Milliseconds, with "< 0.05" for what the page's 0.1 ms clock cannot resolve. @param {number} ms */
const msText = (ms) => (Number.isFinite(ms) && ms < 0.05 ? '< 0.05' : fmt(ms));
/** "1.20 (31.2 GFLOP/s)" for a kernel time. @param {number} ms @param {number} gflop */
const kernelCell = (ms, gflop) => (Number.isFinite(ms) ? `${msText(ms)}${ms >= 0.05 ? ` (${fmt(gflop / (ms / 1000))} GFLOP/s)` : ''}` : '—');
/** @param {number} x */
const ratio = (x) => (x >= 0.1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(3) : x.toPrecision(2));
/** "3 threads" / "one thread". @param {number} n */
const threadsText = (n) => (n === 1 ? '1 thread' : `${n} threads`);
/** @param {number[]} xs */
const range = (xs) => (xs.length ? `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}` : '');

/**
 * @param {{ stepRates: { cores: number, rows: { size: number, threads: number, wasm: number[], torch: number[], loads: number[] }[] },
 *   tutorial: any, results: Record<string, any>, profiles: Record<string, any>, torchOps: any, runtime: any, chromium: string,
 *   torch: string, runs: number, loads: number[], minutes: number, date: string }} data
 */
export function trainSection(data) {
  const { stepRates, tutorial, results, profiles, torchOps, runtime, chromium, torch, runs, loads, minutes, date } = data;
  const tfjsVersion = JSON.parse(readFileSync(join(REPO_ROOT, 'node_modules', '@tensorflow', 'tfjs', 'package.json'), 'utf8')).version;
  const wasmFlags = profiles.wasm?.flags ?? {};
  const cores = stepRates.cores;
  const lines = [];
  lines.push(`## train — the reference convnet in the page vs PyTorch (\`npm run bench:train\`)

The reference convnet (DESIGN.md: 3 × [3×3 conv, 'valid', ReLU, 2×2 max-pool] → dense 128 →
dropout 0.5 → softmax), batch ${BATCH}, Adam ${LR}, inputs in [0, 1]. WASM runs on Pawprint's kernels
(src/core/train/wasm: SIMD GEMMs for the convolutions and their gradients, fused Adam and ReLU
gradient) in a cross-origin isolated page, on every core the browser reports unless said. PyTorch
(\`bench/pytorch_train.py\`, the exported train.py's model class: same layers, Glorot-uniform kernels,
zero biases, Adam with eps 1e-7 as tfjs) runs in the same benchmark, interleaved with the browser.

- Date: ${date}; whole benchmark ${minutes.toFixed(0)} min
- Machine: ${machineLine()}; shared with other work: 1-min load average ${loads.map((l) => l.toFixed(1)).join(' → ')} during the run
- Chromium: ${chromium} (Debian), headless, \`${CHROMIUM_ARGS.join(' ')}\`; tfjs ${tfjsVersion}
- WebGPU adapter: ${runtime?.adapterString ?? 'unknown'}; WebGL renderer: ${profiles.webgl?.flags?.renderer ?? 'unknown'}
- WASM: SIMD ${wasmFlags.simd ?? '?'}, threaded build ${wasmFlags.multithread ?? '?'} (crossOriginIsolated ${wasmFlags.crossOriginIsolated ?? '?'}), ${threadsText(cores)} (navigator.hardwareConcurrency ${cores})
- PyTorch ${torch} (Debian python3-torch, CPU), \`torch.set_num_threads\` as each row says
`);

  lines.push(stepRateSection(stepRates, runs));
  if (tutorial) lines.push(tutorialSection(tutorial, runs));

  /** @type {string[]} */
  const verdicts = [];
  for (const r of Object.values(results)) lines.push(fashionSection(r, verdicts));
  lines.push(`### Targets (issue 11)\n`);
  for (const row of stepRates.rows) {
    const r = median(row.wasm) / median(row.torch);
    verdicts.unshift(`- ${row.size} px, ${threadsText(row.threads)} each: WASM ${fmt(median(row.wasm))} images/s = ${ratio(r)}× PyTorch's ${fmt(median(row.torch))} — target (≥ ${TARGET_RATIO}×) ${r >= TARGET_RATIO ? 'met' : 'missed'}.`);
  }
  lines.push(...verdicts);
  lines.push('');
  lines.push(profileSection(profiles, torchOps, stepRates));
  return lines.join('\n');
}

/** @param {{ cores: number, rows: { size: number, threads: number, wasm: number[], torch: number[], loads: number[] }[] }} stepRates @param {number} runs */
function stepRateSection(stepRates, runs) {
  const out = [`### Training step rates: WASM vs PyTorch with the same threads

One training step (\`trainOnBatch\` / forward + backward + Adam + \`loss.item()\`) of the reference
convnet on a fixed random batch of ${BATCH}, 2 classes, after warm-up steps: the median step, as
images/s; in the browser in a worker of the profiling page (bench/profile, the app's tfjs build
and src/core/train code), in PyTorch \`pytorch_train.py --step-rate\`. Medians of ${runs} rounds,
browser and PyTorch interleaved size by size (the per-round figures and the load follow the table).

| image size | threads (each) | WASM img/s | PyTorch img/s | WASM ÷ PyTorch | target ≥ ${TARGET_RATIO}× |
| --- | --- | --- | --- | --- | --- |`];
  for (const row of stepRates.rows) {
    const r = median(row.wasm) / median(row.torch);
    out.push(`| ${row.size} | ${row.threads} | ${fmt(median(row.wasm))} | ${fmt(median(row.torch))} | **${ratio(r)}** | ${r >= TARGET_RATIO ? 'met' : 'missed'} |`);
  }
  out.push('');
  out.push(
    `Per round (WASM / PyTorch img/s, load): ${stepRates.rows
      .map((row) => `${row.size} px × ${row.threads}: ${row.wasm.map((w, i) => `${fmt(w)} / ${fmt(/** @type {number} */ (row.torch[i]))} (${row.loads[i]?.toFixed(1)})`).join(', ')}`)
      .join('; ')}.`,
  );
  const scaling = stepRates.rows
    .filter((row) => row.threads > 1)
    .map((row) => {
      const one = stepRates.rows.find((o) => o.size === row.size && o.threads === 1);
      return one ? `${row.size} px: WASM ${fmt(median(row.wasm) / median(one.wasm))}×, PyTorch ${fmt(median(row.torch) / median(one.torch))}×` : '';
    })
    .filter(Boolean);
  if (scaling.length) out.push(`\nAll threads ÷ one thread — ${scaling.join('; ')}.`);
  out.push('');
  return out.join('\n');
}

/** @param {any} t the result of compareTraining @param {number} runs */
function tutorialSection(t, runs) {
  const b = t.browser;
  return `### The tutorial-sized run: tutorial/data.zip, 64 px, 10 epochs

As a user does it: a fresh profile, "Add images" with the tutorial-shaped data.zip (${t.files} JPEGs),
the app's default parameters (64 px, 10 epochs, batch ${BATCH}, seed ${FIRST_SEED}), Backend Auto, Train; then the
version committed, downloaded as a DVC project and its \`train.py\` run with Debian's python3 (its
default threads) on the same files, same parameters. Medians of ${runs} runs each.${t.remeasured ? ` Measured again on ${t.remeasured.date} (\`BENCH_TRAIN_ONLY=tutorial\`, load ${t.remeasured.loads.map((/** @type {number} */ l) => l.toFixed(1)).join(' → ')}), after the other figures of this section.` : ''}

| | from Train to the result | training loop | val accuracy |
| --- | --- | --- | --- |
| Pawprint in the page (${b.attempts?.[0]?.backendLine ?? ''}) | ${fmt(b.wallMs / 1000)} s | ${fmt(b.durationMs / 1000)} s | ${pct(b.valAccuracy)} |
| exported train.py | ${fmt(t.pythonWallMs / 1000)} s (whole process) | ${fmt(t.pythonTrainMs / 1000)} s (after loading the images) | ${t.python.map((/** @type {any} */ p) => pct(p.valAccuracy)).join(', ')} |

Pawprint ÷ train.py, from Train to the result against the whole process: ${fmt(t.pythonWallMs / b.wallMs)}× its speed (${fmt(b.wallMs / t.pythonWallMs)}× its time); the training loops alone: ${fmt(t.pythonTrainMs / b.durationMs)}×.

Page runs: ${(b.attempts ?? []).map((/** @type {any} */ a) => `${fmt(a.wallMs / 1000)} s (load ${a.load.toFixed(1)})`).join(', ')}; train.py runs: ${t.python.map((/** @type {any} */ p) => `${fmt(p.wallMs / 1000)} s (load ${p.load.toFixed(1)})`).join(', ')}. "From Train to the result" includes decoding the 2 000 + 800 JPEGs into the pixel cache, Auto's backend probe, the per-epoch validation passes and saving; train.py's whole process includes Python start-up and decoding.
`;
}

/**
 * One Fashion-MNIST data set trained through the page: WASM on all threads (3 seeds), PyTorch, and
 * the GPU backends on a subset.
 * @param {any} r @param {string[]} verdicts
 */
function fashionSection(r, verdicts) {
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
  const lines = [
    `### ${set.title}: ${r.trainImages} train + ${r.valImages} validation images, ${set.classes} classes, ${set.epochs} epochs, ${SIZE} px

Through the page (fresh profile per run): the zip picked with "Add images", parameters typed, Train.
Training images/s is the app's own (stored with the run; first step included, validation passes
excluded); inference is the per-epoch validation passes; batch-1 latency is "Classify an image".
PyTorch: the same zip, model, epochs and seeds (fastest of ${PYTORCH_TRIES} tries per seed: other work only slows it).

| backend | data | train img/s | ÷ PyTorch | inference img/s | ÷ PyTorch | batch-1 latency ms | val accuracy |
| --- | --- | --- | --- | --- | --- | --- | --- |`,
    row(`PyTorch CPU, 2 threads (median of ${r.torch2.length})`, 'full', t2, pct(t2.accuracy)),
    row('PyTorch CPU, 1 thread', 'full', { train: t1.train_images_per_second, inference: t1.inference_images_per_second, latency: t1.latency_ms }, pct(t1.val_accuracy)),
    row(`**WASM** (median of ${r.wasm.length})`, 'full', w, pct(w.accuracy)),
  ];
  for (const [name, g] of Object.entries(r.gpu)) {
    if (g.error) lines.push(`| ${name} | subset | failed: ${g.error.split('\n')[0]} | | | | | |`);
    else lines.push(row(name === 'webgpu' ? `WebGPU (${g.info.adapter})` : 'WebGL', `subset, 1 epoch, ${set.subset.train}+${set.subset.validation}/class`, g.figures, `${pct(g.figures.accuracy)} (subset)`));
  }
  const wasmAccs = r.wasm.map((/** @type {any} */ b) => b.figures.accuracy);
  const torchAccs = r.torch2.map((/** @type {any} */ t) => t.val_accuracy);
  const points = (w.accuracy - t2.accuracy) * 100;
  const spreadPoints = Math.max(Math.max(...wasmAccs) - Math.min(...wasmAccs), Math.max(...torchAccs) - Math.min(...torchAccs)) * 100;
  lines.push('');
  lines.push(
    `Per run — WASM: ${r.wasm.map((/** @type {any} */ b, /** @type {number} */ i) => `seed ${FIRST_SEED + i}: ${fmt(b.figures.train)} / ${fmt(b.figures.inference)} img/s, ${fmt(b.figures.latency)} ms, val ${b.figures.accuracy.toFixed(4)}, ${b.figures.durationS.toFixed(0)} s, load ${b.load.toFixed(1)} (${b.info.adapter})`).join('; ')}. ` +
      `PyTorch (2 threads; train img/s of each try, load): ${r.torch2.map((/** @type {any} */ t) => `seed ${t.seed}: ${(t.attempts ?? []).map((/** @type {any} */ a) => `${fmt(a.train)} (${a.load.toFixed(1)})`).join(', ')}, val ${t.val_accuracy.toFixed(4)}`).join('; ')}. ` +
      `PyTorch 1 thread: ${(t1.attempts ?? []).map((/** @type {any} */ a) => fmt(a.train)).join(', ')}.`,
  );
  lines.push('');
  verdicts.push(
    `- ${set.title}: val accuracy WASM ${pct(w.accuracy)} (seeds ${FIRST_SEED}…: ${wasmAccs.map(pct).join(', ')}) vs PyTorch ${pct(t2.accuracy)} (${torchAccs.map(pct).join(', ')}): ${points >= 0 ? '+' : ''}${points.toFixed(1)} points, ` +
      `${Math.abs(points) <= Math.max(TARGET_ACCURACY_POINTS, spreadPoints) ? 'within' : 'outside'} the seed spread (${spreadPoints.toFixed(1)} points). ` +
      `Through the page WASM trains at ${ratio(w.train / t2.train)}× PyTorch's 2-thread images/s and ${ratio(w.train / t1.train_images_per_second)}× its 1-thread rate (these runs include the app's batch building, the first step and progress messages).`,
  );
  return lines.join('\n');
}

/**
 * Where a step's time goes: tf.profile of one step per backend (WASM on all threads, on one,
 * and at 64 px), the big kernels alone, PyTorch's ops, and findings with this run's numbers.
 * @param {Record<string, any>} profiles @param {any} torchOps @param {{ cores: number }} stepRates
 */
function profileSection(profiles, torchOps, stepRates) {
  const labels = /** @type {Record<string, string>} */ ({
    wasm: `wasm, ${threadsText(stepRates.cores)}`,
    'wasm-1': 'wasm, 1 thread',
    'wasm-64': `wasm, ${threadsText(stepRates.cores)}, 64 px`,
    webgl: 'webgl',
    webgpu: 'webgpu',
    cpu: 'cpu',
  });
  const keys = Object.keys(labels).filter((k) => profiles[k]?.ok);
  const out = [`### Where the time goes (bench/profile: one training step, batch ${BATCH}, 2 classes, random data, ${SIZE} px unless said)

Steady state after a warm-up step, in a worker of the profiling page (as the app trains). "Kernels"
is tf.profile of one \`trainOnBatch\`: wasm and cpu time each kernel on the wall clock; WebGPU reports
GPU timestamps (\`--enable-dawn-features=allow_unsafe_apis\`); WebGL has no timer queries on
SwiftShader, so tfjs reads every kernel's output back and its figures include one readback each.

| backend | step ms | img/s | first step ms | predict ×${BATCH} ms | predict ×1 ms | kernels per step | top kernels (share of timed) |
| --- | --- | --- | --- | --- | --- | --- | --- |`];
  for (const key of keys) {
    const p = profiles[key];
    const top = (p.profile?.kernels ?? [])
      .filter((/** @type {any} */ k) => k.ms !== null)
      .slice(0, 5)
      .map((/** @type {any} */ k) => `${k.name} ×${k.count} ${fmt(k.ms)} ms (${((k.ms / p.profile.timedMs) * 100).toFixed(0)} %)`)
      .join(', ');
    out.push(`| ${labels[key]} | ${fmt(p.medianStepMs)} | ${fmt(p.trainImagesPerSecond)} | ${fmt(p.firstStepMs)} | ${msText(p.predictBatchMs)} | ${msText(p.predictOneMs)} | ${p.profile?.kernelCount ?? '?'} | ${top || p.profile?.timer || ''} |`);
  }
  out.push(`| PyTorch (2 threads) | ${fmt(torchOps.step_ms)} | ${fmt(torchOps.train_images_per_second)} | | | | | ${torchOps.step_profile.slice(0, 5).map((/** @type {any} */ e) => `${e.name} ×${e.count} ${fmt(e.self_ms)} ms`).join(', ')} |`);
  out.push('');
  const isolatedKeys = keys.filter((k) => profiles[k].isolated?.length);
  out.push(`The big kernels alone at ${SIZE} px (ms per call; GFLOP/s = 2 × multiply-adds / time):

| kernel | shapes (NHWC) | GFLOP | ${isolatedKeys.map((k) => labels[k]).join(' | ')} | PyTorch (2 threads) | WASM ÷ PyTorch time |
| --- | --- | --- | ${isolatedKeys.map(() => '---').join(' | ')} | --- | --- |`);
  const torchByOp = new Map((torchOps.ops ?? []).map((/** @type {any} */ o) => [o.op.replace(/ \(.*\)$/, ''), o]));
  for (const [i, k] of (profiles.wasm?.isolated ?? []).entries()) {
    const key = k.op.replace(/ \(.*\)$/, '').replace(' Conv2DBackpropFilter', ' weight gradient').replace(' Conv2DBackpropInput', ' input gradient');
    const t = torchByOp.get(key);
    const cells = isolatedKeys.map((n) => {
      const m = profiles[n].isolated[i];
      return m ? kernelCell(m.ms, m.gflop) : '—';
    });
    const versus = t && k.ms >= 0.05 && t.ms > 0 ? `${fmt(k.ms / t.ms)}×` : '';
    out.push(`| ${k.op} | ${k.shapes} | ${k.gflop.toFixed(3)} | ${cells.join(' | ')} | ${t ? kernelCell(t.ms, t.gflop) : '—'} | ${versus} |`);
  }
  out.push('');
  out.push(findings(profiles, torchOps));
  return out.join('\n');
}

/** @param {Record<string, any>} profiles @param {any} torchOps */
function findings(profiles, torchOps) {
  /** Share of a step's timed kernel time, per kernel name. @param {string} key @param {string[]} names */
  const share = (key, names) => {
    const p = profiles[key];
    if (!p?.ok || !p.profile?.timedMs) return NaN;
    const ms = names.reduce((sum, name) => sum + (p.profile.kernels.find((/** @type {any} */ k) => k.name === name)?.ms ?? 0), 0);
    return ms / p.profile.timedMs;
  };
  const gemm = ['Conv2D', 'Conv2DBackpropFilter', 'Conv2DBackpropInput', 'BatchMatMul', '_FusedMatMul'];
  const memoryBound = ['MaxPool', 'MaxPoolGrad', 'Relu', 'PawprintReluGrad', 'Add', 'Sum', 'PawprintAdam'];
  const isoWasm = (profiles.wasm?.isolated ?? []).filter((/** @type {any} */ k) => /^conv\d (forward|Conv2DBackprop)/.test(k.op) && k.ms > 0);
  const rates = isoWasm.map((/** @type {any} */ k) => k.gflop / (k.ms / 1000));
  const w = profiles.wasm;
  const list = [
    w?.ok
      ? `- **WASM, ${fmt(w.trainImagesPerSecond)} images/s at ${SIZE} px on all threads**: the convolutions and their gradients (Pawprint's SIMD GEMMs) take ${pct(share('wasm', gemm))} of the step's kernel time at ${SIZE} px${profiles['wasm-64']?.ok ? ` and ${pct(share('wasm-64', gemm))} at 64 px` : ''}; alone they run at ${range(rates)} GFLOP/s (a 4×8 register tile of 128-bit multiply-adds without FMA, which WebAssembly SIMD lacks; PyTorch uses AVX-512 FMA here). Memory-bound kernels (pooling, ReLU and its gradient, bias add and sums, the fused Adam) take ${pct(share('wasm', memoryBound))}. ${w.profile?.kernelCount ?? '?'} kernel calls per step (tfjs' own Adam and ReLU gradient made 320).`
      : '',
    profiles['wasm-1']?.ok && w?.ok ? `- Threads: the same step on one thread takes ${fmt(profiles['wasm-1'].medianStepMs)} ms against ${fmt(w.medianStepMs)} ms on ${w.flags.threads} (${fmt(profiles['wasm-1'].medianStepMs / w.medianStepMs)}×); every job is cut into tiles that the threads take from one counter, so a core busy with other work takes fewer.` : '',
    profiles.webgpu?.ok
      ? `- **WebGPU on SwiftShader**: ${fmt(profiles.webgpu.medianStepMs)} ms a step (${fmt(profiles.webgpu.trainImagesPerSecond)} img/s), the first ${fmt(profiles.webgpu.firstStepMs)} ms (shader compilation): the time is in the emulated shaders. On a real GPU this backend is the one to use (Auto picks it there without probing); \`npm run bench:gpu\` measures it there.`
      : '',
    profiles.webgl?.ok ? `- **WebGL on SwiftShader**: ${fmt(profiles.webgl.medianStepMs)} ms a step (${fmt(profiles.webgl.trainImagesPerSecond)} img/s).` : '',
    profiles.cpu?.ok ? `- CPU (plain JavaScript): ${fmt(profiles.cpu.medianStepMs)} ms a step (${fmt(profiles.cpu.trainImagesPerSecond)} img/s).` : '',
    `- PyTorch's step at ${SIZE} px is ${fmt(torchOps.step_ms)} ms on 2 threads (${fmt(torchOps.train_images_per_second)} img/s on random data): oneDNN convolutions with AVX-512 on both cores. With 2 threads on this shared 2-core machine its rate swings with the load (OpenMP threads wait for a busy core); the 1-thread figures are the steadier per-core reference.`,
  ];
  return `Findings:\n\n${list.filter(Boolean).join('\n')}`;
}
