// bench:ingest — importing real zips through the page, the way a person does.
//
// In headless Chromium (fresh profile per case and run), each zip is picked with the
// "Add images" input and confirmed with "Add to data set"; the page's own phase timings
// (window.pawprint.ingestTimings(): storeMs = hash + store in the worker, from the click;
// checkMs = decode + resize into the pixel cache and the validation report) are read back
// once the import and the check have finished. Cases:
//   (a) Fashion-MNIST data.zip (1 800 PNGs), then new-labels.zip (+1 000) on top: the
//       tutorial's v1 → v2, in one profile;
//   (b) tutorial/data.zip: 2 800 JPEGs of 150–500 px, ~67 MB, like the DVC tutorial's.
// The zips come from scripts/make-datasets.mjs (built here when missing; no network).
//
// Native anchor, in the same run: the very same image files extracted to a temp dir, and
// `sha256sum` + `md5sum` over them (one untimed pass each to warm the page cache, then one
// timed pass each; the two times summed, since Pawprint computes both hashes).
// Every run also checks the page's DVC hash against python3 (zipfile + hashlib + json) and
// that v2's stored bytes grow by exactly the bytes of the files new in v2.
import { execFile, execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { datasetsDir, makeDatasets } from '../test/harness/datasets.mjs';
import { PYTHON } from '../test/harness/python.mjs';
import { CHROMIUM_ARGS, openFreshApp, runtimeInfo, startApp } from './lib/browser.mjs';
import { ingestFloor } from './lib/ingest-floor.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, mbPerSecond, median, perSecond, timed } from './lib/stats.mjs';

const run = promisify(execFile);

const TARGET_RATIO = 0.5;
// Between the two Fashion imports: a person reads the result before adding more. Started
// 0.3 s after the first import settled, the second one's IndexedDB requests often wait on
// the browser's own work after the first (2 cores, software rendering; measured: a trivial
// get then takes 8-14 ms instead of 1), up to 2× in single runs. That case is measured
// too, in its own profile, and shown beside the target.
const REVIEW_PAUSE_MS = 5000;
const TARGET_DECODE = 500;
const TARGET_V2_TOLERANCE = 0.01;

/**
 * The image files of a zip (entries under data/), extracted to `dir`.
 * @param {string} zipPath @param {string} dir
 */
function extract(zipPath, dir) {
  const entries = unzipSync(readFileSync(zipPath));
  /** @type {{ path: string, size: number, sha256: string }[]} */
  const files = [];
  for (const [name, bytes] of Object.entries(entries)) {
    if (name.endsWith('/') || !name.startsWith('data/')) continue;
    const path = join(dir, name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, bytes);
    files.push({ path: name, size: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') });
  }
  return { files, bytes: files.reduce((sum, f) => sum + f.size, 0) };
}

/**
 * sha256sum + md5sum over the files: one warm-up pass each, then one timed pass each.
 * @param {string} dir @param {string[]} paths
 */
async function nativeHashMs(dir, paths) {
  const opts = { cwd: dir, maxBuffer: 64 << 20 };
  await run('sha256sum', paths, opts);
  await run('md5sum', paths, opts);
  const sha = await timed(() => run('sha256sum', paths, opts));
  const md5 = await timed(() => run('md5sum', paths, opts));
  const lines = sha.value.stdout.trim().split('\n').length;
  if (lines !== paths.length) throw new Error(`sha256sum printed ${lines} lines for ${paths.length} files`);
  return { sha256Ms: sha.ms, md5Ms: md5.ms, ms: sha.ms + md5.ms };
}

// python3, not the app: what `dvc add data` records for the union of these zips.
const PYTHON_DVC = String.raw`
import hashlib, json, sys, zipfile
files = {}
for src in sys.argv[1:]:
    with zipfile.ZipFile(src) as z:
        for info in z.infolist():
            if info.is_dir() or not info.filename.startswith("data/"):
                continue
            files[info.filename[5:]] = hashlib.md5(z.read(info)).hexdigest()
text = json.dumps([{"md5": files[k], "relpath": k} for k in sorted(files)], sort_keys=True)
print(hashlib.md5(text.encode("utf-8")).hexdigest() + ".dir")
`;
/** @param {string[]} zips */
const dvcHashOf = (zips) => execFileSync(PYTHON, ['-c', PYTHON_DVC, ...zips], { encoding: 'utf8' }).trim();

/**
 * Picks a zip with "Add images", confirms with "Add to data set", waits for the import and the
 * check to finish, and reads back what the page says and measured.
 * @param {import('playwright-core').Page} page @param {string} zipPath
 */
async function importZip(page, zipPath) {
  const wall = process.hrtime.bigint();
  await page.getByLabel('Add images', { exact: true }).setInputFiles(zipPath);
  const review = page.getByRole('region', { name: 'Review import' });
  await review.getByRole('button', { name: 'Add to data set', exact: true }).click({ timeout: 300_000 });
  const result = page.getByRole('status', { name: 'Import result' });
  const alert = page.getByRole('alert');
  await Promise.race([result.waitFor({ timeout: 600_000 }), alert.first().waitFor({ timeout: 600_000 })]);
  if ((await alert.count()) > 0) throw new Error(`the page shows an error: ${(await alert.allInnerTexts()).join(' | ')}`);
  // Settled: no progress bar (storing or checking) for two looks in a row.
  for (let quiet = 0; quiet < 2; ) {
    await page.waitForTimeout(150);
    quiet = (await page.getByRole('progressbar').count()) === 0 ? quiet + 1 : 0;
  }
  const wallMs = Number(process.hrtime.bigint() - wall) / 1e6;
  if ((await alert.count()) > 0) throw new Error(`the page shows an error: ${(await alert.allInnerTexts()).join(' | ')}`);
  const message = await result.innerText();
  const dvc = (await page.locator('dt', { hasText: /^DVC hash$/ }).locator('xpath=following-sibling::dd[1]').innerText()).trim();
  const timings = await page.evaluate(() => /** @type {any} */ (window).pawprint.ingestTimings());
  const usage = await page.evaluate(() => /** @type {any} */ (window).pawprint.usage());
  return { message, dvc, timings, usage, wallMs };
}

/** @param {boolean} ok */
const verdict = (ok) => (ok ? 'met' : '**missed**');

/** @param {{ runs?: number }} [options] */
export async function runIngest(options = {}) {
  // Five: the small-file cases take tens of ms each, and the shared machine shifts them by a third.
  const runs = options.runs ?? 5;
  console.log('bench:ingest: making sure the fixtures exist (scripts/make-datasets.mjs --only fashion,tutorial)…');
  await makeDatasets(['fashion', 'tutorial'], { folders: false });
  const zips = {
    data: join(datasetsDir(), 'fashion', 'data.zip'),
    newLabels: join(datasetsDir(), 'fashion', 'new-labels.zip'),
    tutorial: join(datasetsDir(), 'tutorial', 'data.zip'),
  };
  for (const path of Object.values(zips)) if (!existsSync(path)) throw new Error(`missing ${path}`);

  const tmp = mkdtempSync(join(tmpdir(), 'pawprint-bench-ingest-'));
  const app = await startApp();
  console.log(`bench:ingest: app built in ${(app.buildMs / 1000).toFixed(1)} s, served at ${app.url}`);
  try {
    const files = {
      data: extract(zips.data, join(tmp, 'data')),
      newLabels: extract(zips.newLabels, join(tmp, 'new-labels')),
      tutorial: extract(zips.tutorial, join(tmp, 'tutorial')),
    };
    const knownV1 = new Set(files.data.files.map((f) => f.sha256));
    const newInV2 = new Map(files.newLabels.files.filter((f) => !knownV1.has(f.sha256)).map((f) => [f.sha256, f.size]));
    const newBytesV2 = [...newInV2.values()].reduce((a, b) => a + b, 0);
    const expected = {
      v1: dvcHashOf([zips.data]),
      v2: dvcHashOf([zips.data, zips.newLabels]),
      tutorial: dvcHashOf([zips.tutorial]),
    };

    /** @type {any[]} */
    const results = [];
    let info;
    let version = '';
    for (let r = 0; r < runs; r++) {
      const load = loadavg()[0];
      // (a) data.zip, the review pause, then new-labels.zip, in one fresh profile.
      const a = await openFreshApp(app.url);
      let v1;
      let v2;
      try {
        if (!info) {
          info = await runtimeInfo(a.page);
          version = a.version;
        }
        v1 = await importZip(a.page, zips.data);
        await a.page.waitForTimeout(REVIEW_PAUSE_MS);
        v2 = await importZip(a.page, zips.newLabels);
        if (a.pageErrors.length) throw new Error(`page errors: ${a.pageErrors.join('\n')}`);
      } finally {
        await a.close();
      }
      // (a') the same two back to back, in another fresh profile.
      const c = await openFreshApp(app.url);
      let v2BackToBack;
      try {
        await importZip(c.page, zips.data);
        v2BackToBack = await importZip(c.page, zips.newLabels);
        if (c.pageErrors.length) throw new Error(`page errors: ${c.pageErrors.join('\n')}`);
      } finally {
        await c.close();
      }
      // (b) the tutorial-sized JPEG set in another fresh profile.
      const b = await openFreshApp(app.url);
      let tut;
      let parts;
      try {
        tut = await importZip(b.page, zips.tutorial);
        if (b.pageErrors.length) throw new Error(`page errors: ${b.pageErrors.join('\n')}`);
        parts = {
          data: await ingestFloor(b.page, files.data.files.map((f) => f.size)),
          tutorial: await ingestFloor(b.page, files.tutorial.files.map((f) => f.size)),
        };
      } finally {
        await b.close();
      }
      for (const [what, got, want] of [
        ['data.zip', v1.dvc, expected.v1],
        ['data.zip + new-labels.zip', v2.dvc, expected.v2],
        ['tutorial/data.zip', tut.dvc, expected.tutorial],
      ]) {
        if (got !== want) throw new Error(`${what}: the page shows DVC hash ${got}, python3 computes ${want}`);
      }
      // Native anchor after the browser has closed (no competition for the 2 cores).
      const native = {
        data: await nativeHashMs(join(tmp, 'data'), files.data.files.map((f) => f.path)),
        newLabels: await nativeHashMs(join(tmp, 'new-labels'), files.newLabels.files.map((f) => f.path)),
        tutorial: await nativeHashMs(join(tmp, 'tutorial'), files.tutorial.files.map((f) => f.path)),
      };
      const one = { load, v1, v2, v2BackToBack, tut, native, parts };
      results.push(one);
      console.log(
        `run ${r + 1} (load ${load.toFixed(2)}): data.zip store ${v1.timings.storeMs.toFixed(0)} ms, check ${v1.timings.checkMs.toFixed(0)} ms (${v1.timings.decoded}); ` +
          `new-labels store ${v2.timings.storeMs.toFixed(0)} ms (back to back ${v2BackToBack.timings.storeMs.toFixed(0)} ms), check ${v2.timings.checkMs.toFixed(0)} ms; ` +
          `tutorial store ${tut.timings.storeMs.toFixed(0)} ms, check ${tut.timings.checkMs.toFixed(0)} ms (${tut.timings.decoded}); ` +
          `native ${native.data.ms.toFixed(0)} / ${native.newLabels.ms.toFixed(0)} / ${native.tutorial.ms.toFixed(0)} ms; ` +
          `blobBytes ${v1.usage.blobBytes} → ${v2.usage.blobBytes}; "${v2.message}"`,
      );
    }

    const med = (/** @type {(x: any) => number} */ f) => median(results.map(f));
    /**
     * One case of the table, from where each run keeps its import and native time.
     * @param {{ name: string, files: { files: unknown[], bytes: number }, target: boolean,
     *   importOf: (x: any) => any, nativeOf: (x: any) => number, decodedOf: (x: any) => number, decodeNote?: string }} c
     */
    const caseRow = ({ name, files: set, target, importOf, nativeOf, decodedOf, decodeNote = '' }) => ({
      name,
      files: set.files.length,
      bytes: set.bytes,
      target,
      runRatios: results.map((x) => nativeOf(x) / importOf(x).timings.storeMs),
      storeMs: med((x) => importOf(x).timings.storeMs),
      readMs: med((x) => importOf(x).timings.readMs),
      nativeMs: med(nativeOf),
      decodeRate: med((x) => decodedOf(x) / (importOf(x).timings.checkMs / 1000)),
      decodeNote,
      wallMs: med((x) => importOf(x).wallMs),
    });
    // new-labels' check decodes only its 1 000 new images (the 1 800 come from the pixel cache).
    const newImages = (/** @type {any} */ v2, /** @type {any} */ x) => v2.timings.decoded - x.v1.timings.decoded;
    const rows = [
      caseRow({ name: 'Fashion data.zip (v1): 1 800 PNG, 28×28', files: files.data, target: true, importOf: (x) => x.v1, nativeOf: (x) => x.native.data.ms, decodedOf: (x) => x.v1.timings.decoded }),
      caseRow({
        name: 'Fashion new-labels.zip on top (v2): +1 000 PNG',
        files: files.newLabels,
        target: true,
        importOf: (x) => x.v2,
        nativeOf: (x) => x.native.newLabels.ms,
        decodedOf: (x) => newImages(x.v2, x),
        decodeNote: ' (new images only; 1 800 reused from the cache)',
      }),
      caseRow({ name: 'tutorial/data.zip: 2 800 JPEG, 150–500 px', files: files.tutorial, target: true, importOf: (x) => x.tut, nativeOf: (x) => x.native.tutorial.ms, decodedOf: (x) => x.tut.timings.decoded }),
      caseRow({
        name: 'Fashion new-labels.zip on top, back to back (no review pause; not a target row)',
        files: files.newLabels,
        target: false,
        importOf: (x) => x.v2BackToBack,
        nativeOf: (x) => x.native.newLabels.ms,
        decodedOf: (x) => newImages(x.v2BackToBack, x),
        decodeNote: ' (new images only)',
      }),
    ].map((row) => {
      const mbps = mbPerSecond(row.bytes, row.storeMs);
      const native = mbPerSecond(row.bytes, row.nativeMs);
      return { ...row, mbps, native, ratio: mbps / native, filesPerSecond: perSecond(row.files, row.storeMs) };
    });
    const v2Growth = results.map((x) => x.v2.usage.blobBytes - x.v1.usage.blobBytes);
    const v2Worst = Math.max(...v2Growth.map((g) => Math.abs(g - newBytesV2) / newBytesV2));
    const v2Ok = v2Worst <= TARGET_V2_TOLERANCE;
    const reStoredMessage = results[0].v2.message;

    const table = rows
      .map(
        (row) =>
          `| ${row.name} | ${row.files} | ${(row.bytes / 1e6).toFixed(2)} MB | ${row.storeMs.toFixed(0)} ms | ${fmt(row.mbps)} | ${fmt(row.filesPerSecond)} | ` +
          `${row.nativeMs.toFixed(0)} ms | ${fmt(row.native)} | ${row.ratio.toFixed(3)} | ${fmt(row.decodeRate)}${row.decodeNote} | ${(row.readMs / 1000).toFixed(2)} s | ${(row.wallMs / 1000).toFixed(1)} s |`,
      )
      .join('\n');
    const targetRows = rows.filter((row) => row.target);
    const ratioOk = targetRows.every((row) => row.ratio >= TARGET_RATIO);
    const partsTable = breakdown(results, [
      { key: 'data', name: `Fashion data.zip (${files.data.files.length} files, ${(files.data.bytes / 1e6).toFixed(2)} MB)`, storeMs: rows[0].storeMs },
      { key: 'tutorial', name: `tutorial/data.zip (${files.tutorial.files.length} files, ${(files.tutorial.bytes / 1e6).toFixed(2)} MB)`, storeMs: rows[2].storeMs },
    ]);
    const decodeRows = [rows[0], rows[2]];
    const decodeOk = decodeRows.every((row) => row.decodeRate >= TARGET_DECODE);
    const perRun = results
      .map(
        (x, i) =>
          `${i + 1} (load ${x.load.toFixed(2)}): store ${x.v1.timings.storeMs.toFixed(0)} / ${x.v2.timings.storeMs.toFixed(0)} (back to back ${x.v2BackToBack.timings.storeMs.toFixed(0)}) / ${x.tut.timings.storeMs.toFixed(0)} ms, ` +
          `check ${x.v1.timings.checkMs.toFixed(0)} / ${x.v2.timings.checkMs.toFixed(0)} / ${x.tut.timings.checkMs.toFixed(0)} ms, ` +
          `sha256sum+md5sum ${x.native.data.ms.toFixed(0)} / ${x.native.newLabels.ms.toFixed(0)} / ${x.native.tutorial.ms.toFixed(0)} ms, ` +
          `parts alone (data.zip / tutorial): SHA-256 ${x.parts.data.sha256Ms.toFixed(0)} / ${x.parts.tutorial.sha256Ms.toFixed(0)}, MD5 ${x.parts.data.md5Ms.toFixed(0)} / ${x.parts.tutorial.md5Ms.toFixed(0)}, ` +
          `pack ${x.parts.data.packMs.toFixed(0)} / ${x.parts.tutorial.packMs.toFixed(0)}, grouped records ${x.parts.data.groupedMs.toFixed(0)} / ${x.parts.tutorial.groupedMs.toFixed(0)}, ` +
          `one record per file ${x.parts.data.recordsMs.toFixed(0)} / ${x.parts.tutorial.recordsMs.toFixed(0)}, ` +
          `bytes into IndexedDB ${x.parts.data.idbBytesMs.toFixed(0)} / ${x.parts.tutorial.idbBytesMs.toFixed(0)} ms`,
      )
      .join('; ');

    const section = `## ingest — importing zips through the page (\`npm run bench:ingest\`)

Each zip is picked with **Add images** and confirmed with **Add to data set** in headless
Chromium, as a person would; (a) data.zip then, ${REVIEW_PAUSE_MS / 1000} s after the page settled (a person
reading the result), new-labels.zip, in a fresh profile (empty IndexedDB); (a') the same two back to
back (the second picked 0.3 s after the first settled) in another; (b) the tutorial set in another; in
each of ${runs} run${runs === 1 ? '' : 's'}; medians. Back to back, the second import's IndexedDB requests often wait on the
browser's own work after the first (2 cores, software rendering), so that row is shown but the target
is judged on (a). Under load, single runs of the small-file cases still vary up to 2× (see the spread
after each ratio). Pawprint's figures are the page's own phase timings
(\`window.pawprint.ingestTimings()\`): *hash + store* = \`storeMs\` (from the click on "Add to data set"
until the page has the result: SHA-256 + MD5 in the dataset worker, the bytes appended to an OPFS pack
file, the blob records into IndexedDB in groups of 64 per value, and the new workspace data set committed); *decode + resize* = images decoded
÷ \`checkMs\` (createImageBitmap + OffscreenCanvas into the pixel cache, plus the validation
report); *read* = \`readMs\` (opening the zip and sniffing headers, before the review). Bytes are
the image files' total size. Native anchor, same run, after the browser closed: the same files
extracted to a temp dir, \`sha256sum\` + \`md5sum\` (page cache warm, one process each, times
summed since Pawprint computes both). Every run checks the page's DVC hash against python3
(zipfile + hashlib + json.dumps). MB = 10^6 bytes.

- Date: ${today()}
- Machine: ${machineLine()} (shared; 1-min load average at the start of each run is listed below)
- Chromium: ${version} (Debian), headless, \`${CHROMIUM_ARGS.join(' ')}\`
- WebGPU adapter: ${info?.adapterString ?? 'unknown'}; tfjs backend: ${info?.backend ?? 'unknown'}

| case | files | bytes | hash + store | MB/s | files/s | sha256sum + md5sum | native MB/s | ratio Pawprint / native | decode + resize img/s | read | pick → settled |
| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |
${table}

**Bytes stored for v2**: \`usage().blobBytes\` grows by ${v2Growth.map((g) => g.toLocaleString('en')).join(' / ')} bytes (per run) when
new-labels.zip goes on top of data.zip; the files new in v2 (content not already in v1) total
${newBytesV2.toLocaleString('en')} bytes (${newInV2.size} files). Worst deviation ${(v2Worst * 100).toFixed(3)} %. The page said: "${reStoredMessage}".

Targets (issue #3):
- hash + store ≥ ${TARGET_RATIO}× native: ${verdict(ratioOk)} — ${targetRows.map((row) => `${row.name.split(':')[0]} ${row.ratio.toFixed(3)} (${row.ratio >= TARGET_RATIO ? 'met' : 'missed'}; single runs ${Math.min(...row.runRatios).toFixed(2)}–${Math.max(...row.runRatios).toFixed(2)})`).join(', ')}. Back to back, new-labels.zip reached ${rows[3].ratio.toFixed(3)} (single runs ${Math.min(...rows[3].runRatios).toFixed(2)}–${Math.max(...rows[3].runRatios).toFixed(2)}).${ratioOk ? '' : ` (Average file size: Fashion ${Math.round(rows[0].bytes / rows[0].files)} bytes, tutorial ${Math.round(rows[2].bytes / rows[2].files).toLocaleString('en')} bytes.)`}
- decode + resize ≥ ${TARGET_DECODE} images/s: ${verdict(decodeOk)} — ${decodeRows.map((row) => `${fmt(row.decodeRate)} img/s (${row.name.split(':')[0]})`).join(', ')}.
- v2 costs its new bytes only (±${TARGET_V2_TOLERANCE * 100} %): ${verdict(v2Ok)}.

**Where the time goes**: each part of hash + store alone, in a dedicated worker of the same page right
after the tutorial import, on random bytes of the same file sizes (bench/lib/ingest-floor.mjs; medians of
the runs), next to the native tools' times on the real files. *native ÷ part* is the speed of the part
alone relative to \`sha256sum\` + \`md5sum\`: the target needs the whole of hash + store at ≥ ${TARGET_RATIO}.

${partsTable}

Per run (data.zip / new-labels.zip / tutorial): ${perRun}.
`;
    writeSection('ingest', section);
    console.log(`\n${section}`);
    console.log('bench:ingest: BENCHMARKS.md updated');
  } finally {
    await app.close();
    rmSync(tmp, { recursive: true, force: true });
  }
}

/**
 * The parts table (per case, each part's median time alone and native ÷ part) and what follows
 * from it for the target.
 * @param {any[]} results @param {{ key: 'data' | 'tutorial', name: string, storeMs: number }[]} cases
 */
function breakdown(results, cases) {
  const measured = cases.map(({ key, name, storeMs }) => {
    const part = (/** @type {string} */ partName) => median(results.map((x) => x.parts[key][partName]));
    const native = median(results.map((x) => x.native[key].ms));
    const sha256 = part('sha256Ms');
    const md5 = part('md5Ms');
    const pack = part('packMs');
    const records = part('groupedMs');
    const perFile = part('recordsMs');
    const idbBytes = part('idbBytesMs');
    const rows = [
      ['SHA-256 (hash-wasm below 4 KiB, else WebCrypto)', sha256],
      ['MD5 (hash-wasm)', md5],
      ['bytes appended to one OPFS file (small files joined per write; one flush per batch)', pack],
      ['blob records into IndexedDB, 64 per value (one transaction per batch)', records],
      ['**the four above, one after another**', sha256 + md5 + pack + records],
      ['one record per file instead (the layout before schema 3)', perFile],
      ['bytes into IndexedDB instead (64 per transaction; the layout before pack files)', idbBytes],
      ['Pawprint hash + store, whole (table above)', storeMs],
      ['native: `sha256sum` + `md5sum` on the files', native],
    ];
    const ratio = (/** @type {number} */ ms) => (native / ms).toFixed(2);
    const parts = sha256 + md5 + pack + records;
    const finding =
      native / records < TARGET_RATIO
        ? `${name}: **a floor** — the blob records alone (grouped, nothing else) take ${records.toFixed(0)} ms, ` +
          `native ÷ records = ${ratio(records)} < ${TARGET_RATIO}: this case cannot reach ${TARGET_RATIO}× native here, ` +
          `whatever hashing and byte storage do. The whole hash + store spends ${(storeMs - parts).toFixed(0)} ms beyond the four parts in sequence ` +
          '(committing the workspace data set, worker messages, batches waiting on each other).'
        : `${name}: the four parts in sequence reach ${ratio(parts)}× native (hashing alone ${ratio(sha256 + md5)}×; bytes into IndexedDB alone, ` +
          `the layout before pack files, ${ratio(idbBytes)}×); the whole hash + store reaches ${ratio(storeMs)}×, spending ${(storeMs - parts).toFixed(0)} ms ` +
          'beyond the parts in sequence (committing the workspace data set, worker messages, batches waiting on each other, minus what overlaps).';
    return { cells: rows.map(([rowName, ms]) => ({ name: rowName, cell: `${ms.toFixed(0)} ms | ${ratio(ms)}` })), finding };
  });
  const header = `| part | ${cases.map((c) => `${c.name} | native ÷ part`).join(' | ')} |\n| --- |${cases.map(() => ' --- | --- |').join('')}`;
  const body = measured[0].cells.map((row, i) => `| ${row.name} | ${measured.map((m) => m.cells[i].cell).join(' | ')} |`).join('\n');
  return `${header}\n${body}\n\n${measured.map((m) => `- ${m.finding}`).join('\n')}`;
}
