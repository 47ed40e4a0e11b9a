// bench:responsiveness — how long the page's main thread is blocked while a person works with
// many images. In headless Chromium, fresh profile per run, through the page as a person would:
//   - import: "Add images" with a zip of 10 000 PNGs (12×12, two classes of 5 000 under
//     data/train), "Add to data set", until the import and the image check are over;
//   - scroll: the thumbnail grid of one class (5 000 images), ten jumps of a tenth of the grid
//     150 ms apart (a person dragging the scroll bar), then 500 ms;
//   - train: 1 epoch at 22 px on WASM on those 10 000 images, from pressing Train until the
//     result is shown.
// Measured: the main thread's long tasks (the browser's 'longtask' entries: tasks over 50 ms)
// in each window, as a count and the longest; the longest one's Long Animation Frame names the
// scripts that ran in it, for whoever wants to shorten it. Anchor, same run: the same page
// idle for 5 s before the import (what the browser and the machine's load alone cost).
// The machine's 1-min load average is recorded at the start of each run: long tasks are wall
// time, and grow with it. Medians over the runs (default 3; --runs N).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import { CHROMIUM_ARGS, openFreshApp, runtimeInfo, startApp } from './lib/browser.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median } from './lib/stats.mjs';
import { importZip, setInputs, trainAndWait } from './lib/train-page.mjs';

const FILES = 10_000;
const IDLE_MS = 5_000;
const PHASES = /** @type {const} */ (['idle', 'import', 'scroll', 'train']);

/** A 12×12 PNG whose pixels come from `seed`: every file distinct. @param {number} seed */
function png(seed) {
  const image = new PNG({ width: 12, height: 12 });
  let x = seed >>> 0 || 1;
  for (let i = 0; i < image.data.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    image.data[i] = i % 4 === 3 ? 255 : x & 0xff;
  }
  return new Uint8Array(PNG.sync.write(image));
}

/** @param {string} dir */
function writeZip(dir) {
  /** @type {Record<string, Uint8Array>} */
  const files = {};
  for (let i = 0; i < FILES; i++) files[`data/train/${i % 2 ? 'odd' : 'even'}/${String(i).padStart(5, '0')}.png`] = png(0x10000 + i);
  const path = join(dir, 'ten-thousand.zip');
  writeFileSync(path, zipSync(files, { level: 0 }));
  return path;
}

/** Installed before the app's scripts: every long task, and the Long Animation Frames (script attribution). */
function recordLongTasks() {
  const w = /** @type {any} */ (window);
  w.__longTasks = [];
  w.__longFrames = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
  }).observe({ type: 'longtask', buffered: true });
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const e = /** @type {any} */ (entry);
        w.__longFrames.push({
          start: e.startTime,
          duration: e.duration,
          scripts: e.scripts.map((/** @type {any} */ s) => ({ invoker: s.invoker, source: `${String(s.sourceURL).replace(/^.*\//, '')}:${s.sourceCharPosition}`, fn: s.sourceFunctionName, duration: s.duration })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // attribution only
  }
}

/** @param {import('playwright-core').Page} page */
const now = (page) => page.evaluate(() => performance.now());

/**
 * The long tasks that started in [t0, t1], and what ran in the longest one.
 * @param {import('playwright-core').Page} page @param {number} t0 @param {number} t1
 */
async function longTasksIn(page, t0, t1) {
  const { tasks, frames } = await page.evaluate(() => ({ tasks: /** @type {any} */ (window).__longTasks, frames: /** @type {any} */ (window).__longFrames }));
  const inWindow = /** @type {{ start: number, duration: number }[]} */ (tasks).filter((t) => t.start >= t0 && t.start <= t1);
  const longest = inWindow.reduce((a, b) => (b.duration > (a?.duration ?? 0) ? b : a), /** @type {{ start: number, duration: number } | undefined} */ (undefined));
  const frame = longest && /** @type {any[]} */ (frames).find((f) => f.start <= longest.start + longest.duration && f.start + f.duration >= longest.start);
  const scripts = (frame?.scripts ?? [])
    .sort((/** @type {any} */ a, /** @type {any} */ b) => b.duration - a.duration)
    .slice(0, 2)
    .map((/** @type {any} */ s) => `${s.invoker} ${s.fn || '(anonymous)'} ${s.source} ${s.duration.toFixed(0)} ms`);
  return { count: inWindow.length, longest: longest?.duration ?? 0, seconds: (t1 - t0) / 1000, what: scripts.join('; ') };
}

/** Waits until no progress bar shows twice in a row. @param {import('playwright-core').Page} page */
async function settle(page) {
  let quiet = 0;
  const deadline = Date.now() + 600_000;
  while (quiet < 2) {
    quiet = (await page.getByRole('progressbar').count()) === 0 ? quiet + 1 : 0;
    if (Date.now() > deadline) throw new Error('the page did not settle within 10 minutes');
    await page.waitForTimeout(200);
  }
}

/** One run: a fresh profile, then idle, import, scroll and train, each window measured. @param {string} url @param {string} zipPath */
async function oneRun(url, zipPath) {
  const load = loadavg()[0] ?? 0;
  const app = await openFreshApp(url);
  try {
    const { page, context } = app;
    await context.addInitScript(recordLongTasks);
    await page.reload({ waitUntil: 'load' });
    await app.waitForPawprint();
    await page.getByRole('status', { name: 'Runtime' }).getByText(/Backend: (?!starting)\S/).waitFor({ timeout: 180_000 });
    await settle(page);
    await page.waitForTimeout(1000);
    const info = await runtimeInfo(page);
    /** @type {Record<string, Awaited<ReturnType<typeof longTasksIn>>>} */
    const phases = {};

    let t0 = await now(page);
    await page.waitForTimeout(IDLE_MS);
    phases.idle = await longTasksIn(page, t0, await now(page));

    t0 = await now(page);
    const said = await importZip(page, zipPath);
    phases.import = await longTasksIn(page, t0, await now(page));
    if (!/^10 000 new files/.test(said)) throw new Error(`the import said: ${said}`);

    await page.getByRole('table', { name: 'Classes', exact: true }).getByRole('button', { name: 'even', exact: true }).click();
    const grid = page.getByRole('list', { name: 'Images of even', exact: true });
    await grid.waitFor();
    await grid.scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000);
    t0 = await now(page);
    for (let i = 1; i <= 10; i++) {
      await grid.evaluate((el, f) => el.scrollTo({ top: el.scrollHeight * f }), i / 10);
      await page.waitForTimeout(150);
    }
    await page.waitForTimeout(500);
    phases.scroll = await longTasksIn(page, t0, await now(page));

    await setInputs(page, { imageSize: 22, epochs: 1, backend: 'WASM' });
    t0 = await now(page);
    const trained = await trainAndWait(page, 900_000);
    phases.train = await longTasksIn(page, t0, await now(page));
    return { load, phases, info, trained, version: app.version };
  } finally {
    await app.close();
  }
}

/** @param {{ runs?: number }} [options] */
export async function runResponsiveness(options = {}) {
  const runs = options.runs ?? 3;
  const tmp = mkdtempSync(join(tmpdir(), 'pawprint-bench-responsive-'));
  const app = await startApp();
  try {
    const zipPath = writeZip(tmp);
    console.log(`bench:responsiveness: app built in ${(app.buildMs / 1000).toFixed(1)} s, served at ${app.url}; ${runs} runs`);
    /** @type {Awaited<ReturnType<typeof oneRun>>[]} */
    const results = [];
    for (let run = 1; run <= runs; run++) {
      const result = await oneRun(app.url, zipPath);
      results.push(result);
      console.log(`run ${run} (load ${result.load.toFixed(2)}): ${PHASES.map((p) => `${p} ${result.phases[p]?.count} long tasks, longest ${fmt(result.phases[p]?.longest ?? 0)} ms`).join('; ')}`);
    }
    const info = results[0]?.info;
    const cell = (/** @type {typeof PHASES[number]} */ phase, /** @type {'count' | 'longest' | 'seconds'} */ key) => median(results.map((r) => r.phases[phase]?.[key] ?? 0));
    const perRun = (/** @type {typeof PHASES[number]} */ phase) => results.map((r) => `${r.phases[phase]?.count} / ${fmt(r.phases[phase]?.longest ?? 0)}`).join(', ');
    const TITLES = {
      idle: `idle page, ${IDLE_MS / 1000} s (anchor)`,
      import: `import ${FILES.toLocaleString('en').replace(',', ' ')} images (pick → stored and checked)`,
      scroll: 'scroll the grid of 5 000 thumbnails (10 jumps)',
      train: '1 epoch at 22 px on WASM, 10 000 images (Train → result)',
    };
    const rows = PHASES.map((phase) => `| ${TITLES[phase]} | ${fmt(cell(phase, 'seconds'))} s | ${cell(phase, 'count')} | ${cell(phase, 'longest') > 0 ? `${fmt(cell(phase, 'longest'))} ms` : '—'} | ${perRun(phase)} |`);
    const attributions = results.flatMap((r, i) => PHASES.filter((p) => r.phases[p]?.what).map((p) => `run ${i + 1}, ${p}: ${r.phases[p]?.what}`));
    const section = `## responsiveness — main-thread long tasks (\`npm run bench:responsiveness\`)

Through the page in headless Chromium, fresh profile per run, as a person would: **import** a zip of
${FILES.toLocaleString('en').replace(',', ' ')} PNGs (12×12, two classes of 5 000) with **Add images** → **Add to data set** until the import and
the image check are over; **scroll** the thumbnail grid of one class (5 000 images) in ten jumps of a tenth,
150 ms apart, then 500 ms; **train** 1 epoch at 22 px on WASM on those images, from **Train** until the result is
shown. Counted: the main thread's long tasks (the browser's \`longtask\` entries, over 50 ms) that started in each
window; *longest* is the longest of them. **Anchor**, same run: the same page left idle for ${IDLE_MS / 1000} s before the
import. Long tasks are wall time on a shared 2-core machine, so they grow with its load (recorded per run);
these are figures, not test verdicts: the browser tests assert the design that keeps the main thread free
(test/browser/dataset-responsiveness.test.ts). Medians of ${runs} runs.

- Date: ${today()}
- Machine: ${machineLine()}, ${availableParallelism()} cores available (shared; 1-min load average at the start of each run: ${results.map((r) => r.load.toFixed(2)).join(' / ')})
- Chromium: ${results[0]?.version ?? 'unknown'} (Debian), headless, \`${CHROMIUM_ARGS.join(' ')}\`
- Status line: ${info?.statusText ?? 'unknown'}
- Training: ${results[0]?.trained.backendLine ?? 'unknown'}

| window | length | long tasks | longest | per run (count / longest ms) |
| --- | --- | --- | --- | --- |
${rows.join('\n')}

What ran in the longest task of each window (Long Animation Frame scripts), when there was one: ${attributions.length ? attributions.join('; ') : 'none'}.
`;
    writeSection('responsiveness', section);
    console.log(`\n${section}`);
    console.log('bench:responsiveness: BENCHMARKS.md updated');
  } finally {
    await app.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
