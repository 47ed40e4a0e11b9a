// bench:versions — checkout, compare, storage and the timeline, through the page.
//
// In headless Chromium, fresh profile per run, as a person would:
//   v1 = tutorial/data.zip (2 800 JPEGs, ~67 MB) via "Add images" → "Add to data set",
//        committed data only ("Commit", tag v1);
//   v2 = v1 + 200 new JPEGs in train/animals (copies of v1 files with 16 distinct bytes
//        appended after the end-of-image marker: new content, same decoders), committed data
//        only (tag v2). v1 has 2 800 files, v2 3 000.
// Measured, in the page (performance.now(); a MutationObserver notes when the DOM shows each
// change; the click is element.click() in the same task that starts the clock):
//   - checkout latency, whole and data only: click "Check out" / "Check out data only" →
//     "Versions result" says "Checked out …" (the versions worker moved the refs: its round
//     trip), → the "Classes" table's total shows the version's file count (the page re-read the
//     workspace), → the HEAD marker moved in the timeline (whole checkouts; the timeline and
//     storage figures re-read). Alternating v1 / v2, 3 times each per run;
//   - compare latency: with v1's "Compare" ticked, ticking v2's → the "Comparison" region's
//     "Files changed" table says "+200 added";
//   - storage: window.pawprint.usage().blobBytes after v1 and after v2, against the bytes of
//     v1's distinct files and of the files new in v2 (computed in Node from the zips);
//   - timeline with 200 versions: 198 more data-only versions (alternating v1's and v2's data
//     set, chained by parent, every 10th tagged) written straight into IndexedDB in the store's
//     format (objects { id, kind, body }, refs versions/<id> and tags/<tag>; ids are the
//     sha256 of the canonical JSON, checked against v2's real id first), then a reload timed
//     from navigation start until the "Versions" list holds 200 items, against the same with
//     the 2 real versions; plus the longest main-thread task during that load, and a whole
//     checkout with the 200 versions on the timeline.
// Medians over 3 runs (per-run medians of the repetitions, then the median of those).
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync, zipSync } from 'fflate';
import { datasetsDir, makeDatasets } from '../test/harness/datasets.mjs';
import { CHROMIUM_ARGS, openFreshApp, runtimeInfo, startApp } from './lib/browser.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median } from './lib/stats.mjs';

const EXTRA = 200;
const REPS = 3;
const TIMELINE = 200;
const TARGET_CHECKOUT_MS = 200;

const sha256 = (/** @type {Uint8Array} */ bytes) => createHash('sha256').update(bytes).digest('hex');

/**
 * The v2 zip (200 new JPEGs in train/animals) and the byte counts the storage check needs.
 * @param {string} tutorialZip @param {string} outDir
 */
function prepare(tutorialZip, outDir) {
  const files = unzipSync(new Uint8Array(readFileSync(tutorialZip)));
  const images = Object.entries(files).filter(([name]) => name.startsWith('data/') && !name.endsWith('/'));
  const v1 = new Map(images.map(([, bytes]) => [sha256(bytes), bytes.length]));
  const sources = images.filter(([name]) => name.startsWith('data/train/animals/')).sort(([a], [b]) => (a < b ? -1 : 1)).slice(0, EXTRA);
  /** @type {Record<string, Uint8Array>} */
  const extra = {};
  for (const [i, [, bytes]] of sources.entries()) {
    const trailer = new TextEncoder().encode(`pawprint-v2-${String(i).padStart(4, '0')}`);
    const out = new Uint8Array(bytes.length + trailer.length);
    out.set(bytes);
    out.set(trailer, bytes.length);
    extra[`data/train/animals/extra-${String(i + 1).padStart(4, '0')}.jpg`] = out;
  }
  const newInV2 = new Map(Object.values(extra).filter((bytes) => !v1.has(sha256(bytes))).map((bytes) => [sha256(bytes), bytes.length]));
  const extraZip = join(outDir, 'v2-extra-animals.zip');
  writeFileSync(extraZip, zipSync(extra, { level: 0 }));
  const sum = (/** @type {Map<string, number>} */ m) => [...m.values()].reduce((a, b) => a + b, 0);
  return { files: images.length, v1Bytes: sum(v1), v1Distinct: v1.size, newV2Bytes: sum(newInV2), newV2Files: newInV2.size, extraZip };
}

/** @param {import('playwright-core').Page} page @param {string} zipPath */
async function importZip(page, zipPath) {
  await page.getByLabel('Add images', { exact: true }).setInputFiles(zipPath);
  await page.getByRole('region', { name: 'Review import' }).getByRole('button', { name: 'Add to data set', exact: true }).click({ timeout: 300_000 });
  const result = page.getByRole('status', { name: 'Import result' });
  const alert = page.getByRole('alert');
  await Promise.race([result.waitFor({ timeout: 600_000 }), alert.first().waitFor({ timeout: 600_000 })]);
  if ((await alert.count()) > 0) throw new Error(`the page shows an error: ${(await alert.allInnerTexts()).join(' | ')}`);
  await settle(page);
  return result.innerText();
}

/** No progress bar (storing, checking) for two looks in a row, and the Versions region idle. */
async function settle(/** @type {import('playwright-core').Page} */ page) {
  for (let quiet = 0; quiet < 2; ) {
    await page.waitForTimeout(150);
    const busy = (await page.getByRole('progressbar').count()) > 0 || !(await page.getByRole('button', { name: 'Commit', exact: true }).isEnabled());
    quiet = busy ? 0 : quiet + 1;
  }
}

/** @param {import('playwright-core').Page} page @param {string} message @param {string} tag */
async function commit(page, message, tag) {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(message);
  await page.getByRole('textbox', { name: 'Tag', exact: true }).fill(tag);
  await page.getByRole('button', { name: 'Commit', exact: true }).click();
  const result = page.getByRole('status', { name: 'Versions result', exact: true });
  await Promise.race([result.waitFor(), page.getByRole('alert').first().waitFor()]);
  if ((await page.getByRole('alert').count()) > 0) throw new Error(`commit failed: ${(await page.getByRole('alert').allInnerTexts()).join(' | ')}`);
  const text = await result.innerText();
  if (!text.startsWith(`Committed “${message}” as ${tag} (data only)`)) throw new Error(`unexpected result: ${text}`);
  await settle(page);
}

/**
 * Clicks a control of a timeline item in the page and times, from the click, when the DOM first
 * shows each expected change (see the header comment); `frame` is the next animation frame
 * after the last one.
 * @param {import('playwright-core').Page} page
 * @param {{ tag: string, control: string, total?: string, headTag?: string, notice?: boolean, comparison?: string }} spec
 * @returns {Promise<Record<string, number>>}
 */
function clickAndTime(page, spec) {
  return page.evaluate(
    (s) =>
      new Promise((resolvePromise, reject) => {
        const list = document.querySelector('ul[aria-label="Versions"]');
        const itemOf = (/** @type {string} */ tag) => Array.from(list?.children ?? []).find((li) => li.querySelector(`button[aria-label="Remove tag ${tag}"]`));
        const item = itemOf(s.tag);
        if (!item) return reject(new Error(`no timeline item tagged ${s.tag}`));
        const control =
          s.control === 'Compare'
            ? item.querySelector('input[type="checkbox"]')
            : Array.from(item.querySelectorAll('button')).find((b) => b.textContent?.trim() === s.control);
        if (!(control instanceof HTMLElement)) return reject(new Error(`no "${s.control}" on ${s.tag}`));
        const noticeText = () => document.querySelector('[role="status"][aria-label="Versions result"]')?.textContent?.trim() ?? '';
        let noticeCleared = false;
        /** @type {Record<string, () => boolean>} */
        const conditions = {};
        if (s.notice) conditions.notice = () => noticeCleared && noticeText().startsWith('Checked out');
        if (s.total) {
          conditions.classes = () => {
            const caption = Array.from(document.querySelectorAll('table caption')).find((c) => c.textContent?.trim() === 'Classes');
            const cells = caption?.parentElement?.querySelector('tfoot tr')?.children;
            return !!cells && cells[cells.length - 2]?.textContent?.trim() === s.total;
          };
        }
        if (s.headTag) conditions.head = () => itemOf(/** @type {string} */ (s.headTag))?.getAttribute('aria-current') === 'true';
        if (s.comparison) {
          conditions.comparison = () =>
            (document.querySelector('section[aria-label="Comparison"] table[aria-label="Files changed"] caption')?.textContent ?? '').includes(/** @type {string} */ (s.comparison));
        }
        /** @type {Record<string, number>} */
        const marks = {};
        const names = Object.keys(conditions);
        let start = 0;
        const timer = setTimeout(() => {
          observer.disconnect();
          reject(new Error(`timed out; seen: ${JSON.stringify(marks)}; notice: ${noticeText()}`));
        }, 60_000);
        const check = () => {
          const now = performance.now() - start;
          if (!noticeText()) noticeCleared = true;
          for (const name of names) if (!(name in marks) && conditions[name]()) marks[name] = now;
          if (names.every((name) => name in marks)) {
            observer.disconnect();
            clearTimeout(timer);
            requestAnimationFrame(() => {
              marks.frame = performance.now() - start;
              resolvePromise(marks);
            });
          }
        };
        const observer = new MutationObserver(check);
        observer.observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
        start = performance.now();
        control.click();
      }),
    spec,
  );
}

/**
 * Writes `count` data-only versions after HEAD straight into IndexedDB, in the store's format.
 * Returns how many ids matched the app's own (v2's id recomputed) and the time it took.
 * @param {import('playwright-core').Page} page @param {number} count
 */
function addVersions(page, count) {
  return page.evaluate(async (n) => {
    const open = () =>
      new Promise((res, rej) => {
        const request = indexedDB.open('pawprint');
        request.onsuccess = () => res(request.result);
        request.onerror = () => rej(request.error);
      });
    /** @type {IDBDatabase} */
    const db = /** @type {any} */ (await open());
    const req = (/** @type {IDBRequest} */ r) =>
      new Promise((res, rej) => {
        r.onsuccess = () => res(r.result);
        r.onerror = () => rej(r.error);
      });
    // Canonical JSON as src/core/objects/canonical-json.ts: keys sorted (ASCII keys here), no whitespace.
    const canon = (/** @type {any} */ v) => {
      if (v === null || typeof v !== 'object') return JSON.stringify(v);
      if (Array.isArray(v)) return `[${v.map(canon).join(',')}]`;
      return `{${Object.keys(v)
        .sort()
        .map((k) => `${JSON.stringify(k)}:${canon(v[k])}`)
        .join(',')}}`;
    };
    const idOf = async (/** @type {any} */ body) =>
      Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(canon(body)))), (b) => b.toString(16).padStart(2, '0')).join('');
    try {
      const started = performance.now();
      const read = db.transaction(['refs', 'objects'], 'readonly');
      const head = /** @type {any} */ (await req(read.objectStore('refs').get('HEAD'))).target;
      const v1 = /** @type {any} */ (await req(read.objectStore('refs').get('tags/v1'))).target;
      // Objects are stored as their canonical JSON text (schema 4).
      const headBody = JSON.parse(/** @type {any} */ (await req(read.objectStore('objects').get(head))).json);
      const v1Body = JSON.parse(/** @type {any} */ (await req(read.objectStore('objects').get(v1))).json);
      const idsMatch = (await idOf(headBody)) === head && (await idOf(v1Body)) === v1;
      const base = Date.parse(headBody.createdAt);
      const records = [];
      let parent = head;
      for (let i = 1; i <= n; i++) {
        const body = {
          ...headBody,
          parent,
          dataset: i % 2 ? v1Body.dataset : headBody.dataset,
          message: `Bench version ${i}: ${i % 2 ? 'v1' : 'v2'} data`,
          createdAt: new Date(base + i * 1000).toISOString(),
        };
        const id = await idOf(body);
        records.push({ id, body, tag: i % 10 === 0 ? `bench-${i}` : null });
        parent = id;
      }
      const write = db.transaction(['objects', 'refs'], 'readwrite');
      const now = Date.now();
      for (const { id, body, tag } of records) {
        write.objectStore('objects').put({ id, kind: 'version', json: canon(body) });
        write.objectStore('refs').put({ name: `versions/${id}`, target: id, updatedAt: now });
        if (tag) write.objectStore('refs').put({ name: `tags/${tag}`, target: id, updatedAt: now });
      }
      await new Promise((res, rej) => {
        write.oncomplete = () => res(undefined);
        write.onerror = () => rej(write.error);
      });
      return { idsMatch, ms: performance.now() - started };
    } finally {
      db.close();
    }
  }, count);
}

/** Pages whose long tasks are being recorded. */
const observed = new WeakSet();

/**
 * Reloads and times, from navigation start, until the "Versions" list holds `count` items;
 * with the longest main-thread task seen until then.
 * @param {import('playwright-core').Page} page @param {number} count
 */
async function timeTimelineLoad(page, count) {
  if (!observed.has(page)) {
    observed.add(page);
    // From the very start of every load: the main thread's long tasks (> 50 ms).
    await page.addInitScript(() => {
      const w = /** @type {any} */ (window);
      w.__longTasks = [];
      new PerformanceObserver((list) => w.__longTasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: 'longtask' });
    });
  }
  await page.reload({ waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    (n) => {
      const items = document.querySelectorAll('ul[aria-label="Versions"] > li');
      if (items.length < n || !items[n - 1]?.querySelector('button')) return null;
      return { ms: performance.now(), longest: Math.max(0, .../** @type {any} */ (window).__longTasks ?? []) };
    },
    count,
    { polling: 'raf', timeout: 120_000 },
  );
  const value = /** @type {{ ms: number, longest: number }} */ (await handle.jsonValue());
  await page.evaluate(() => /** @type {any} */ (window).pawprint.ready);
  await settle(page);
  return value;
}

/** @param {boolean} ok */
const verdict = (ok) => (ok ? 'met' : '**missed**');
const ms = (/** @type {number} */ x) => `${x.toFixed(0)} ms`;
const group = (/** @type {number} */ n) => n.toLocaleString('en-US').replace(/,/g, ' ');

/** @param {{ runs?: number }} [options] */
export async function runVersions(options = {}) {
  const runs = options.runs ?? 3;
  console.log('bench:versions: making sure tutorial/data.zip exists (scripts/make-datasets.mjs --only tutorial)…');
  await makeDatasets(['tutorial'], { folders: false });
  const tutorialZip = join(datasetsDir(), 'tutorial', 'data.zip');
  if (!existsSync(tutorialZip)) throw new Error(`missing ${tutorialZip}`);
  const tmp = mkdtempSync(join(tmpdir(), 'pawprint-bench-versions-'));
  const prep = prepare(tutorialZip, tmp);
  const v1Total = group(prep.files);
  const v2Total = group(prep.files + EXTRA);
  const app = await startApp();
  console.log(`bench:versions: app built in ${(app.buildMs / 1000).toFixed(1)} s, served at ${app.url}`);

  /** @type {any[]} */
  const results = [];
  let info;
  let version = '';
  try {
    for (let r = 0; r < runs; r++) {
      const load = loadavg()[0];
      const opened = await openFreshApp(app.url);
      const { page } = opened;
      try {
        if (!info) {
          info = await runtimeInfo(page);
          version = opened.version;
        }
        await importZip(page, tutorialZip);
        await commit(page, 'v1: the tutorial photos', 'v1');
        const afterV1 = await page.evaluate(async () => ({ ...(await /** @type {any} */ (window).pawprint.usage()), estimate: (await navigator.storage.estimate()).usage ?? 0 }));
        await importZip(page, prep.extraZip);
        await commit(page, `v2: +${EXTRA} animals`, 'v2');
        const afterV2 = await page.evaluate(async () => ({ ...(await /** @type {any} */ (window).pawprint.usage()), estimate: (await navigator.storage.estimate()).usage ?? 0 }));

        /** @type {Record<string, Record<string, number>[]>} */
        const samples = { whole: [], dataOnly: [], compare: [] };
        for (let rep = 0; rep < REPS; rep++) {
          for (const [tag, total] of [
            ['v1', v1Total],
            ['v2', v2Total],
          ]) {
            samples.whole.push(await clickAndTime(page, { tag, control: 'Check out', total, headTag: tag, notice: true }));
            await settle(page);
          }
        }
        // HEAD is v2 now: data only moves the workspace between v1's and v2's data, HEAD stays.
        for (let rep = 0; rep < REPS; rep++) {
          for (const [tag, total] of [
            ['v1', v1Total],
            ['v2', v2Total],
          ]) {
            samples.dataOnly.push(await clickAndTime(page, { tag, control: 'Check out data only', total, notice: true }));
            await settle(page);
          }
        }
        for (let rep = 0; rep < REPS; rep++) {
          await page.getByRole('list', { name: 'Versions', exact: true }).getByRole('listitem').filter({ has: page.getByRole('button', { name: 'Remove tag v1', exact: true }) }).getByRole('checkbox', { name: 'Compare' }).check();
          samples.compare.push(await clickAndTime(page, { tag: 'v2', control: 'Compare', comparison: `+${EXTRA} added` }));
          for (const tag of ['v1', 'v2']) {
            await page.getByRole('list', { name: 'Versions', exact: true }).getByRole('listitem').filter({ has: page.getByRole('button', { name: `Remove tag ${tag}`, exact: true }) }).getByRole('checkbox', { name: 'Compare' }).uncheck();
          }
          await page.getByRole('region', { name: 'Comparison' }).waitFor({ state: 'detached' });
          await settle(page);
        }

        // The timeline: 2 versions, then 200.
        const small = [await timeTimelineLoad(page, 2), await timeTimelineLoad(page, 2)];
        const written = await addVersions(page, TIMELINE - 2);
        const large = [];
        for (let rep = 0; rep < REPS; rep++) large.push(await timeTimelineLoad(page, TIMELINE));
        const items = await page.getByRole('list', { name: 'Versions', exact: true }).getByRole('listitem').count();
        if (items !== TIMELINE) throw new Error(`the timeline shows ${items} items, expected ${TIMELINE}`);
        const with200 = await clickAndTime(page, { tag: 'v1', control: 'Check out', total: v1Total, headTag: 'v1', notice: true });
        await settle(page);
        if (opened.pageErrors.length) throw new Error(`page errors: ${opened.pageErrors.join('\n')}`);
        const alerts = await page.getByRole('alert').allInnerTexts();
        if (alerts.length) throw new Error(`the page shows an error: ${alerts.join(' | ')}`);

        const one = { load, afterV1, afterV2, samples, small, large, written, with200 };
        results.push(one);
        const med = (/** @type {Record<string, number>[]} */ list, /** @type {string} */ key) => median(list.map((s) => s[key] ?? NaN));
        console.log(
          `run ${r + 1} (load ${load.toFixed(2)}): checkout whole notice/classes/head ${fmt(med(samples.whole, 'notice'))}/${fmt(med(samples.whole, 'classes'))}/${fmt(med(samples.whole, 'head'))} ms; ` +
            `data only notice/classes ${fmt(med(samples.dataOnly, 'notice'))}/${fmt(med(samples.dataOnly, 'classes'))} ms; compare ${fmt(med(samples.compare, 'comparison'))} ms; ` +
            `blobBytes v1 ${afterV1.blobBytes} v2 ${afterV2.blobBytes}; timeline 2: ${fmt(median(small.map((x) => x.ms)))} ms, 200: ${fmt(median(large.map((x) => x.ms)))} ms ` +
            `(longest task ${fmt(Math.max(...large.map((x) => x.longest)))} ms; ids match: ${written.idsMatch}); checkout with 200: ${JSON.stringify(with200)}`,
        );
      } finally {
        await opened.close();
      }
    }

    // Per-run medians, then the median of the runs.
    const perRun = (/** @type {(x: any) => number} */ f) => results.map(f);
    const mm = (/** @type {(x: any) => number} */ f) => median(perRun(f));
    const sampleMedian = (/** @type {string} */ kind, /** @type {string} */ key) => mm((x) => median(x.samples[kind].map((/** @type {any} */ s) => s[key])));
    const fig = {
      whole: { notice: sampleMedian('whole', 'notice'), classes: sampleMedian('whole', 'classes'), head: sampleMedian('whole', 'head'), frame: sampleMedian('whole', 'frame') },
      dataOnly: { notice: sampleMedian('dataOnly', 'notice'), classes: sampleMedian('dataOnly', 'classes'), frame: sampleMedian('dataOnly', 'frame') },
      compare: { comparison: sampleMedian('compare', 'comparison'), frame: sampleMedian('compare', 'frame') },
      small: mm((x) => median(x.small.map((/** @type {any} */ s) => s.ms))),
      large: mm((x) => median(x.large.map((/** @type {any} */ s) => s.ms))),
      longest: perRun((x) => Math.max(...x.large.map((/** @type {any} */ s) => s.longest))),
      with200: { notice: mm((x) => x.with200.notice), classes: mm((x) => x.with200.classes), head: mm((x) => x.with200.head) },
    };
    const slowestWhole = Math.max(fig.whole.notice, fig.whole.classes);
    const slowestDataOnly = Math.max(fig.dataOnly.notice, fig.dataOnly.classes);
    const checkoutOk = slowestWhole < TARGET_CHECKOUT_MS && slowestDataOnly < TARGET_CHECKOUT_MS;
    const v1Bytes = results.map((x) => x.afterV1.blobBytes);
    const v2Bytes = results.map((x) => x.afterV2.blobBytes);
    const storageOk = v1Bytes.every((b) => b === prep.v1Bytes) && v2Bytes.every((b) => b === prep.v1Bytes + prep.newV2Bytes);
    const idsMatch = results.every((x) => x.written.idsMatch);
    const mb = (/** @type {number} */ b) => `${(b / 1e6).toFixed(2)} MB`;

    const perRunText = results
      .map((x, i) => {
        const m = (/** @type {string} */ kind, /** @type {string} */ key) => fmt(median(x.samples[kind].map((/** @type {any} */ s) => s[key])));
        return (
          `${i + 1} (load ${x.load.toFixed(2)}): whole ${m('whole', 'notice')} / ${m('whole', 'classes')} / ${m('whole', 'head')} ms, ` +
          `data only ${m('dataOnly', 'notice')} / ${m('dataOnly', 'classes')} ms, compare ${m('compare', 'comparison')} ms, ` +
          `timeline 2 → 200: ${fmt(median(x.small.map((/** @type {any} */ s) => s.ms)))} → ${fmt(median(x.large.map((/** @type {any} */ s) => s.ms)))} ms`
        );
      })
      .join('; ');

    const section = `## versions — checkout, compare, storage, timeline (\`npm run bench:versions\`)

Through the page in headless Chromium, fresh profile per run, as a person would: **v1** =
tutorial/data.zip (${group(prep.files)} JPEGs, ${mb(prep.v1Bytes)}) added with **Add images** → **Add to data set** and
committed data only (tag v1); **v2** = v1 + ${EXTRA} new JPEGs in train/animals (v1 files with 16 distinct bytes
appended after the end-of-image marker), committed data only (tag v2): ${group(prep.files)} and ${group(prep.files + EXTRA)} files.
Times are taken in the page: the click is \`element.click()\` in the task that starts the clock, and a
MutationObserver notes when the DOM first shows each change. *refs moved* = "Versions result" says
"Checked out …" (the versions worker's checkout, its round trip included); *Classes* = the "Classes"
table's total shows the checked-out version's file count (the page re-read the workspace); *HEAD* = the
timeline's HEAD marker moved (timeline and storage figures re-read); *frame* = the next animation frame
after all of them. Each kind ${REPS}× per run, alternating v1 and v2; medians per run, then the median of ${runs} runs.

- Date: ${today()}
- Machine: ${machineLine()} (shared; 1-min load average at the start of each run below)
- Chromium: ${version} (Debian), headless, \`${CHROMIUM_ARGS.join(' ')}\`
- tfjs backend at start: ${info?.backend ?? 'unknown'} (not used: no training here)

| operation | refs moved | Classes updated | HEAD marker moved | next frame |
| --- | --- | --- | --- | --- |
| Check out (whole), v1 ⇄ v2 | ${ms(fig.whole.notice)} | ${ms(fig.whole.classes)} | ${ms(fig.whole.head)} | ${ms(fig.whole.frame)} |
| Check out data only, v1 ⇄ v2 (HEAD stays) | ${ms(fig.dataOnly.notice)} | ${ms(fig.dataOnly.classes)} | — | ${ms(fig.dataOnly.frame)} |
| Check out (whole) with ${TIMELINE} versions on the timeline | ${ms(fig.with200.notice)} | ${ms(fig.with200.classes)} | ${ms(fig.with200.head)} | — |
| Compare: tick v2's "Compare" (v1's ticked) → "Comparison" shows "+${EXTRA} added" | — | — | — | ${ms(fig.compare.comparison)} (DOM), ${ms(fig.compare.frame)} (frame) |

**Storage** (\`usage().blobBytes\`): after v1 ${v1Bytes.map((b) => b.toLocaleString('en')).join(' / ')} bytes (per run); v1's distinct
files total ${prep.v1Bytes.toLocaleString('en')} bytes (${group(prep.v1Distinct)} distinct of ${group(prep.files)}). After v2 ${v2Bytes.map((b) => b.toLocaleString('en')).join(' / ')} bytes;
v1 + the files new in v2 (${prep.newV2Files} files, ${prep.newV2Bytes.toLocaleString('en')} bytes) = ${(prep.v1Bytes + prep.newV2Bytes).toLocaleString('en')} bytes.
Browser-reported usage (\`navigator.storage.estimate()\`, IndexedDB on disk with records, pixel cache
and overheads): ${results.map((x) => `${mb(x.afterV1.estimate)} → ${mb(x.afterV2.estimate)}`).join(' / ')}.

**Timeline**: a reload, from navigation start until the "Versions" list shows all its items: ${ms(fig.small)} with the 2 real
versions, ${ms(fig.large)} with ${TIMELINE} (the 2 + ${TIMELINE - 2} data-only versions written straight into IndexedDB in the store's
format, over v1's and v2's data sets, every 10th tagged; their ids ${idsMatch ? 'are real: the canonical-JSON sha256 computed in the page reproduced v1\'s and v2\'s ids' : '**do not** match the app\'s own ids (the canonical JSON used here differs), so they are keys only'}).
Longest main-thread task (> 50 ms counted) during the ${TIMELINE}-version loads, per run: ${fig.longest.map(ms).join(' / ')}.

Targets (issue #5):
- checkout < ${TARGET_CHECKOUT_MS} ms for a 2 800-file version (refs moved and Classes updated): ${verdict(checkoutOk)} — whole ${ms(slowestWhole)}, data only ${ms(slowestDataOnly)}.
- storage after v2 = v1 + the new bytes of v2 only: ${verdict(storageOk)}.
- timeline fast with ${TIMELINE} versions (no number in the issue): ${ms(fig.large)} to show ${TIMELINE} items after a reload (${ms(fig.large - fig.small)} more than with 2); longest task per run ${fig.longest.map(ms).join(' / ')}.
- the same checkout with ${TIMELINE} versions on the timeline: refs moved ${ms(fig.with200.notice)}, Classes ${ms(fig.with200.classes)} (${fig.with200.classes < TARGET_CHECKOUT_MS ? 'under' : '**over**'} ${TARGET_CHECKOUT_MS} ms), HEAD marker ${ms(fig.with200.head)}: the checkout reads every version (uncommitted-work check) and the page re-reads the whole timeline and storage figures after it.

Per run (whole: refs / Classes / HEAD; data only: refs / Classes): ${perRunText}.
`;
    writeSection('versions', section);
    console.log(`\n${section}`);
    console.log('bench:versions: BENCHMARKS.md updated');
  } finally {
    await app.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}
