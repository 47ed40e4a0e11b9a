// bench:experiments — the experiment queue, its table and Reproduce, through the page.
//
// Headless Chromium, fresh profiles, Fashion-MNIST sandal vs sneaker (fashion/data.zip: 1 000
// train + 800 validation images) at 28 px on WASM:
//   - one by one: the 8 runs of a grid (learning rate 0.001, 0.003 × epochs 1, 2 × seed 1, 2)
//     started with Train, each timed from the click until its result is stored and shown;
//   - the grid: the same 8 runs queued with "Queue 8 runs" in another fresh profile, timed from
//     the click until the queue line says "Queue empty." — against the sum above (target ≤ 1.05);
//   - the same grid again: all 8 from the run-cache (target < 2 s);
//   - the table with 200 runs: the grid queued again until 200 runs are listed (run-cache
//     answers), then a reload timed from navigation start until the table shows its first page
//     (50 rows, its caption counting 200) and the scatter its 200 points (target < 300 ms), and
//     that time less the page's own without experiments, with the longest main-thread task;
//   - Reproduce after adding new-labels.zip (in the one-by-one profile): which stages ran and
//     the time from the click to "Reproduced: …", next to `python3 train.py` of the exported
//     project (the last Train's version, committed and downloaded).
// The one-by-one ÷ grid comparison in ROUNDS rounds (--runs N), the rest once; the load average is recorded.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { datasetsDir, makeDatasets } from '../test/harness/datasets.mjs';
import { openFreshApp, runtimeInfo, startApp } from './lib/browser.mjs';
import { downloadProject, runTrainPy } from './lib/exchange-train.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median } from './lib/stats.mjs';
import { importZip, setInputs, storedRun } from './lib/train-page.mjs';

const GRID = { learningRate: [0.001, 0.003], epochs: [1, 2], seed: [1, 2] };
const BASE = { imageSize: 28, batchSize: 32, backend: 'WASM' };
const TABLE_ROWS = 200;
/** Rounds of the one-by-one ÷ grid comparison: its figure is their median. */
const ROUNDS = 3;
const HOUR = 3_600_000;

/** The grid's runs in the queue's order (learning rate, then epochs, then seed). */
const runs = () => GRID.learningRate.flatMap((learningRate) => GRID.epochs.flatMap((epochs) => GRID.seed.map((seed) => ({ learningRate, epochs, seed }))));

/** @param {import('playwright-core').Page} page */
const region = (page) => page.getByRole('region', { name: 'Experiments', exact: true });
/** @param {import('playwright-core').Page} page */
const queueLine = async (page) => (await region(page).getByRole('status', { name: 'Experiment queue', exact: true }).innerText()).trim();

/** Presses Train and waits until a new run is stored and the page shows it (no progress bar, Train enabled). */
async function trainOnce(/** @type {import('playwright-core').Page} */ page) {
  const before = (await storedRun(page))?.runId ?? null;
  const started = Date.now();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  for (;;) {
    if ((await page.getByRole('alert').count()) > 0) throw new Error(`training failed: ${(await page.getByRole('alert').allInnerTexts()).join(' | ')}`);
    const run = await storedRun(page);
    if (run && run.runId !== before && (await page.getByRole('progressbar', { name: 'Training progress', exact: true }).count()) === 0) {
      return { ms: Date.now() - started, durationMs: run.version.run.durationMs };
    }
    if (Date.now() - started > HOUR) throw new Error('Train did not finish within an hour');
    await page.waitForTimeout(50);
  }
}

/** The grid's 8 runs started one by one with Train: each one's timing. */
async function trainEach(/** @type {import('playwright-core').Page} */ page, /** @type {(text: string) => void} */ log) {
  const timings = [];
  for (const run of runs()) {
    await setInputs(page, { ...BASE, ...run });
    const timing = await trainOnce(page);
    timings.push(timing);
    log(`Train lr ${run.learningRate}, ${run.epochs} epoch(s), seed ${run.seed}: ${(timing.ms / 1000).toFixed(1)} s`);
  }
  return timings;
}

/**
 * One more round of the comparison, each side in a fresh profile as in the first: the 8 runs
 * one by one (sum of click → result) and the same 8 as a grid (click → queue empty), in ms.
 */
async function compareRound(/** @type {string} */ url, /** @type {string} */ data, /** @type {(text: string) => void} */ log) {
  const single = await openFreshApp(url);
  let sum;
  try {
    await importZip(single.page, data);
    sum = (await trainEach(single.page, log)).reduce((total, run) => total + run.ms, 0);
  } finally {
    await single.close();
  }
  const queue = await openFreshApp(url);
  try {
    await importZip(queue.page, data);
    await setInputs(queue.page, { backend: BASE.backend });
    return { sum, grid: await queueAndWait(queue.page, 8) };
  } finally {
    await queue.close();
  }
}

/** Fills the grid form, presses "Queue N runs" and waits until the queue is empty: ms from the click. */
async function queueAndWait(/** @type {import('playwright-core').Page} */ page, /** @type {number} */ count) {
  const fields = [
    ['Learning rate values', GRID.learningRate],
    ['Epochs values', GRID.epochs],
    ['Seed values', GRID.seed],
    ['Image size values', [BASE.imageSize]],
    ['Batch size values', [BASE.batchSize]],
  ];
  for (const [label, values] of fields) await region(page).getByRole('textbox', { name: String(label), exact: true }).fill(values.join(', '));
  const before = (await tableCounts(page)).rows;
  const started = Date.now();
  await region(page).getByRole('button', { name: `Queue ${count} runs`, exact: true }).click();
  // The queue line reads "Queue empty." until the new rows are listed.
  while ((await tableCounts(page)).rows < before + count) {
    if (Date.now() - started > 60_000) throw new Error(`the ${count} runs were not listed within a minute`);
    await page.waitForTimeout(20);
  }
  for (;;) {
    if ((await region(page).getByRole('alert').count()) > 0) throw new Error(`the queue failed: ${(await region(page).getByRole('alert').allInnerTexts()).join(' | ')}`);
    if ((await queueLine(page)) === 'Queue empty.' && (await region(page).getByRole('button', { name: /^(Cancel|Stop) / }).count()) === 0) return Date.now() - started;
    if (Date.now() - started > HOUR) throw new Error('the queue did not empty within an hour');
    await page.waitForTimeout(50);
  }
}

/** Runs in the table (its caption counts them all) and, of the rows shown, how many were answered from the run-cache. */
async function tableCounts(/** @type {import('playwright-core').Page} */ page) {
  const table = region(page).getByRole('table', { name: 'Experiments', exact: true });
  if ((await table.count()) === 0) return { rows: 0, cached: 0, done: 0 };
  const caption = await table.locator('caption').innerText();
  const rows = Number((/: ([\d\s]+) runs?\b/.exec(caption)?.[1] ?? '0').replace(/\D/g, ''));
  const states = await table.locator('tbody tr:not([aria-label="Baseline"]) td.state').allInnerTexts();
  return { rows, cached: states.filter((state) => state.startsWith('done (run-cache')).length, done: states.filter((state) => state.startsWith('done')).length };
}

/**
 * Reload, timed from navigation start until the page has read the store (the Classes table) and
 * the table holds `rows` rows with the scatter drawn (`rows` 0: the page alone, the baseline);
 * the longest task meanwhile. Median of 3 and the longest of all.
 */
async function reloadTable(/** @type {import('playwright-core').Page} */ page, /** @type {number} */ rows) {
  await page.reload({ waitUntil: 'commit' });
  await page.evaluate(() => {
    const w = /** @type {any} */ (window);
    w.__longest = 0;
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) w.__longest = Math.max(w.__longest, entry.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  return page.evaluate(
    (wanted) =>
      new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('the table did not show within 60 s')), 60_000);
        const check = () => {
          // The page has read the store: the Classes table of the workspace is shown.
          const loaded = Array.from(document.querySelectorAll('table caption')).some((caption) => caption.textContent?.trim() === 'Classes');
          const table = document.querySelector('table[aria-label="Experiments"]');
          const shown = table ? table.querySelectorAll('tbody tr:not([aria-label="Baseline"])').length : 0;
          // The table's first page (50 rows, the rest on "Show all"), its caption counting them all.
          const counted = (table?.querySelector('caption')?.textContent ?? '').includes(`: ${wanted} runs`);
          const scatter = document.querySelector('section[aria-label="Scatter"] figure');
          const drawn = !!scatter?.querySelector('canvas') && (scatter.querySelector('figcaption')?.textContent ?? '').startsWith(`${wanted} finished`);
          if (loaded && (wanted === 0 || (shown >= Math.min(wanted, 50) && counted && drawn))) {
            clearTimeout(timer);
            const at = performance.now();
            // Long tasks are reported after they end: one more frame.
            requestAnimationFrame(() => setTimeout(() => resolve({ ms: at, longest: /** @type {any} */ (window).__longest }), 0));
            return;
          }
          requestAnimationFrame(check);
        };
        check();
      }),
    rows,
  );
}

/** Three reloads (see reloadTable): the median time and the longest task of all. */
async function reloads(/** @type {import('playwright-core').Page} */ page, /** @type {number} */ rows) {
  /** @type {{ ms: number, longest: number }[]} */
  const all = [];
  for (let i = 0; i < 3; i++) all.push(/** @type {{ ms: number, longest: number }} */ (await reloadTable(page, rows)));
  return { ms: all.map((r) => r.ms).sort((a, b) => a - b)[1], longest: Math.max(...all.map((r) => r.longest)), all };
}

/** @param {{ runs?: number }} options rounds of the one-by-one ÷ grid comparison (default ROUNDS) */
export async function runExperiments(options = {}) {
  await makeDatasets(['fashion'], { folders: false });
  const data = join(datasetsDir(), 'fashion', 'data.zip');
  const newLabels = join(datasetsDir(), 'fashion', 'new-labels.zip');
  const server = await startApp();
  const log = (/** @type {string} */ text) => console.log(text);
  const loads = [loadavg()[0]];
  try {
    // ---- one by one, with Train
    const single = await openFreshApp(server.url);
    /** @type {{ ms: number, durationMs: number }[]} */
    const oneByOne = [];
    let reproduce;
    let backend = '';
    let python;
    const folder = mkdtempSync(join(tmpdir(), 'pawprint-bench-experiments-'));
    try {
      const { page } = single;
      await importZip(page, data);
      backend = (await runtimeInfo(page)).statusText;
      oneByOne.push(...(await trainEach(page, log)));
      loads.push(loadavg()[0]);

      // ---- Reproduce after new-labels.zip, and the exported project's train.py on the same data
      await importZip(page, newLabels);
      const pipeline = page.getByRole('region', { name: 'Pipeline', exact: true });
      await pipeline.getByText('Stale: ').waitFor({ timeout: 60_000 });
      const stale = (await pipeline.getByText('Stale: ').innerText()).trim();
      const started = Date.now();
      await pipeline.getByRole('button', { name: 'Reproduce', exact: true }).click();
      const result = pipeline.getByRole('status', { name: 'Reproduce result', exact: true });
      await Promise.race([result.waitFor({ timeout: HOUR }), pipeline.getByRole('alert').waitFor({ timeout: HOUR })]);
      if ((await pipeline.getByRole('alert').count()) > 0) throw new Error(`Reproduce failed: ${await pipeline.getByRole('alert').innerText()}`);
      reproduce = { ms: Date.now() - started, stale, said: (await result.innerText()).trim() };
      log(`Reproduce after new-labels.zip: ${(reproduce.ms / 1000).toFixed(1)} s — ${reproduce.said}`);
      loads.push(loadavg()[0]);
      const project = await downloadProject(page, 'Reproduced after new labels');
      for (const [path, bytes] of Object.entries(project)) {
        if (path.endsWith('/')) continue;
        mkdirSync(dirname(join(folder, path)), { recursive: true });
        writeFileSync(join(folder, path), bytes);
      }
      python = /** @type {{ wallMs: number, loadMs: number }} */ (await runTrainPy(folder));
      log(`python3 train.py of the exported project: ${(python.wallMs / 1000).toFixed(1)} s`);
    } finally {
      await single.close();
      rmSync(folder, { recursive: true, force: true });
    }

    // ---- the grid, then again (run-cache), then 200 rows
    const grid = await openFreshApp(server.url);
    let gridMs;
    let againMs;
    let table;
    let empty;
    let counts;
    try {
      const { page } = grid;
      await importZip(page, data);
      await setInputs(page, { backend: BASE.backend });
      empty = await reloads(page, 0);
      log(`the page without experiments after a reload: ${JSON.stringify(empty.all)}`);
      await setInputs(page, { backend: BASE.backend });
      loads.push(loadavg()[0]);
      gridMs = await queueAndWait(page, 8);
      log(`grid of 8: ${(gridMs / 1000).toFixed(1)} s`);
      loads.push(loadavg()[0]);
      againMs = await queueAndWait(page, 8);
      counts = await tableCounts(page);
      log(`the same grid again: ${againMs} ms; table ${JSON.stringify(counts)}`);
      if (counts.cached !== 8) throw new Error(`expected the second grid from the run-cache, got ${JSON.stringify(counts)}`);
      while ((await tableCounts(page)).rows < TABLE_ROWS) await queueAndWait(page, 8);
      counts = await tableCounts(page);
      table = await reloads(page, counts.rows);
      log(`table with ${counts.rows} runs after a reload: ${JSON.stringify(table.all)}`);
    } finally {
      await grid.close();
    }

    const rounds = [{ sum: oneByOne.reduce((total, run) => total + run.ms, 0), grid: gridMs }];
    while (rounds.length < (options.runs ?? ROUNDS)) {
      loads.push(loadavg()[0]);
      rounds.push(await compareRound(server.url, data, log));
      log(`round ${rounds.length}: ${JSON.stringify(rounds.at(-1))}`);
    }
    const sum = median(rounds.map((round) => round.sum));
    const gridMedian = median(rounds.map((round) => round.grid));
    const ratio = median(rounds.map((round) => round.grid / round.sum));
    writeSection(
      'experiments',
      `## bench:experiments — the queue, the table and Reproduce

${today()} · ${machineLine()} · load average (1 min) during the run: ${loads.map((l) => l.toFixed(2)).join(', ')}
${backend}

Fashion-MNIST sandal vs sneaker (1 000 train + 800 validation images) at ${BASE.imageSize} px on WASM, batch ${BASE.batchSize};
grid: learning rate ${GRID.learningRate.join(', ')} × epochs ${GRID.epochs.join(', ')} × seed ${GRID.seed.join(', ')} (8 runs). The one-by-one ÷ grid comparison: medians of ${rounds.length} rounds, each side in a fresh profile; the rest: one run each (the reloads: median of 3).

| measure | value | target |
| --- | --- | --- |
| 8 runs one by one with Train (sum, click → result shown; median) | ${fmt(sum / 1000)} s | |
| the same 8 queued as a grid (click → queue empty; median) | ${fmt(gridMedian / 1000)} s | |
| grid ÷ one by one (median of the rounds' ratios) | ${ratio.toFixed(3)} | ≤ 1.05 |
| the same grid again (all 8 from the run-cache) | ${fmt(againMs)} ms | < 2 000 ms |
| table (first 50 rows shown) + scatter with ${counts.rows} runs after a reload (navigation start → shown; median of 3) | ${fmt(table.ms)} ms | < 300 ms |
| the same page with no experiments (navigation start → store read; median of 3) | ${fmt(empty.ms)} ms | |
| what ${counts.rows} runs add to a reload (the two medians above, subtracted) | ${fmt(table.ms - empty.ms)} ms | |
| longest main-thread task during those reloads, with ${counts.rows} runs / with none | ${fmt(table.longest)} / ${fmt(empty.longest)} ms | |
| Reproduce after new-labels.zip (click → "Reproduced") | ${fmt(reproduce.ms / 1000)} s | |
| \`python3 train.py\` of the exported project (same data and params) | ${fmt(python.wallMs / 1000)} s | |

Before Reproduce the page said "${reproduce.stale}"; after: "${reproduce.said}"
Rounds (one by one / grid): ${rounds.map((round) => `${fmt(round.sum / 1000)} / ${fmt(round.grid / 1000)} s (${(round.grid / round.sum).toFixed(3)})`).join(', ')}. First round one by one: ${oneByOne.map((run) => `${fmt(run.ms / 1000)} s`).join(', ')}.
`,
    );
  } finally {
    await server.close();
  }
}
