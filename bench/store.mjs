// bench:store — hash + store throughput of the ingest path, through the page.
//
// In headless Chromium, window.pawprint.putFiles (SHA-256 + MD5 in the ingest Web Worker,
// written to IndexedDB) stores
//   - 2 000 blobs of ~30 KB (28 000–32 000 bytes) in one call, then
//   - 1 blob of 50 MB,
// random bytes from a seeded PRNG (bench/lib/prng.mjs) generated in the page before the
// clock starts. The time is the wall time of the putFiles call, measured in the page.
// Each run uses a fresh Chromium profile (empty IndexedDB). The same bytes are written to
// a temp dir by Node, and `sha256sum` over those files (page cache warmed by one untimed
// pass) is the native anchor, timed in the same run. Medians over the runs.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CHROMIUM_ARGS, openFreshApp, runtimeInfo, startApp } from './lib/browser.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { fillRandom } from './lib/prng.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, mbPerSecond, median, perSecond, timed } from './lib/stats.mjs';

const run = promisify(execFile);

const SMALL_COUNT = 2000;
const LARGE_BYTES = 50_000_000;
const SMALL_SEED = 0x5000_0000;
const LARGE_SEED = 0x1a26_e000;
/** ~30 KB, varying: 28 000 .. 32 000 bytes. @param {number} i */
const smallSize = (i) => 28_000 + ((i * 7919) % 4001);

/** @typedef {{ sizes: number[], seeds: number[] }} Spec */

/** @returns {{ small: Spec, large: Spec }} */
function specs() {
  const sizes = Array.from({ length: SMALL_COUNT }, (_, i) => smallSize(i));
  const seeds = sizes.map((_, i) => (SMALL_SEED + i) >>> 0);
  return { small: { sizes, seeds }, large: { sizes: [LARGE_BYTES], seeds: [LARGE_SEED] } };
}

/**
 * Writes the files in Node (same PRNG) and returns their paths and SHA-256s.
 * @param {string} dir @param {string} prefix @param {Spec} spec
 */
function writeFiles(dir, prefix, spec) {
  mkdirSync(dir, { recursive: true });
  /** @type {string[]} */ const files = [];
  /** @type {string[]} */ const sha256 = [];
  spec.sizes.forEach((size, i) => {
    const bytes = fillRandom(new Uint8Array(size), /** @type {number} */ (spec.seeds[i]));
    const name = `${prefix}${String(i).padStart(4, '0')}.bin`;
    writeFileSync(join(dir, name), bytes);
    files.push(name);
    sha256.push(createHash('sha256').update(bytes).digest('hex'));
  });
  return { files, sha256 };
}

/**
 * sha256sum over `files` in `dir`: one warm-up pass, then one timed pass. Checks the hashes.
 * @param {string} dir @param {string[]} files @param {string[]} expected
 */
async function timeSha256sum(dir, files, expected) {
  await run('sha256sum', files, { cwd: dir, maxBuffer: 64 << 20 });
  const { value, ms } = await timed(() => run('sha256sum', files, { cwd: dir, maxBuffer: 64 << 20 }));
  const got = value.stdout.trim().split('\n').map((line) => line.split(/\s+/)[0]);
  if (got.join() !== expected.join()) throw new Error('sha256sum disagrees with Node on the benchmark files');
  return ms;
}

/**
 * Generates the blobs in the page (not timed), then times putFiles in the page.
 * @param {import('playwright-core').Page} page @param {Spec} spec
 * @returns {Promise<{ ms: number, storedCount: number, skippedCount: number, bytesStored: number, sha256: string[] }>}
 */
async function putInPage(page, spec) {
  // A string expression, so that fillRandom's own source runs in the page; evaluating it
  // through the DevTools protocol is not subject to the page's CSP (which forbids eval).
  await page.evaluate(`(() => {
    const fillRandom = ${fillRandom.toString()};
    const spec = ${JSON.stringify(spec)};
    window.__benchFiles = spec.sizes.map((size, i) => new Blob([fillRandom(new Uint8Array(size), spec.seeds[i])]));
    return window.__benchFiles.length;
  })()`);
  return page.evaluate(async () => {
    const w = /** @type {any} */ (window);
    const files = w.__benchFiles;
    const start = performance.now();
    const result = await w.pawprint.putFiles(files);
    const ms = performance.now() - start;
    w.__benchFiles = null;
    return { ms, ...result };
  });
}

/**
 * @param {string} what @param {{ storedCount: number, skippedCount: number, sha256: string[] }} result
 * @param {string[]} expected
 */
function check(what, result, expected) {
  if (result.storedCount !== expected.length || result.skippedCount !== 0) {
    throw new Error(`${what}: putFiles stored ${result.storedCount} and skipped ${result.skippedCount}, expected ${expected.length} and 0`);
  }
  if (result.sha256.join() !== expected.join()) throw new Error(`${what}: the page's SHA-256s differ from Node's`);
}

/** @param {{ runs?: number }} [options] */
export async function runStore(options = {}) {
  const spec = specs();
  const smallBytes = spec.small.sizes.reduce((a, b) => a + b, 0);
  const dataDir = mkdtempSync(join(tmpdir(), 'pawprint-bench-store-'));
  const app = await startApp();
  console.log(`bench:store: app built in ${(app.buildMs / 1000).toFixed(1)} s, served at ${app.url}`);
  try {
    const smallFiles = writeFiles(join(dataDir, 'small'), 's', spec.small);
    const largeFiles = writeFiles(join(dataDir, 'large'), 'l', spec.large);

    /** @type {{ smallMs: number, largeMs: number, sumSmallMs: number, sumLargeMs: number }[]} */
    const runs = [];
    let info;
    let version = '';
    let planned = options.runs ?? 5;
    for (let r = 0; r < planned; r++) {
      const runStart = Date.now();
      const page = await openFreshApp(app.url);
      try {
        if (!info) {
          info = await runtimeInfo(page.page);
          version = page.version;
        }
        const small = await putInPage(page.page, spec.small);
        check('2 000 small blobs', small, smallFiles.sha256);
        const large = await putInPage(page.page, spec.large);
        check('1 large blob', large, largeFiles.sha256);
        const usage = await page.page.evaluate(() => /** @type {any} */ (window).pawprint.usage());
        if (usage.blobs !== SMALL_COUNT + 1) throw new Error(`usage() reports ${usage.blobs} blobs, expected ${SMALL_COUNT + 1}`);
        if (page.pageErrors.length) throw new Error(`page errors: ${page.pageErrors.join('\n')}`);
        await page.close();
        const sumSmallMs = await timeSha256sum(join(dataDir, 'small'), smallFiles.files, smallFiles.sha256);
        const sumLargeMs = await timeSha256sum(join(dataDir, 'large'), largeFiles.files, largeFiles.sha256);
        runs.push({ smallMs: small.ms, largeMs: large.ms, sumSmallMs, sumLargeMs });
        console.log(
          `run ${r + 1}: small ${fmt(mbPerSecond(smallBytes, small.ms))} MB/s (${small.ms.toFixed(0)} ms), ` +
            `large ${fmt(mbPerSecond(LARGE_BYTES, large.ms))} MB/s (${large.ms.toFixed(0)} ms); ` +
            `sha256sum small ${fmt(mbPerSecond(smallBytes, sumSmallMs))} MB/s, large ${fmt(mbPerSecond(LARGE_BYTES, sumLargeMs))} MB/s`,
        );
      } finally {
        await page.close();
      }
      // 5 runs when a run is quick, else 3.
      if (r === 0 && options.runs === undefined && Date.now() - runStart > 45_000) planned = 3;
    }

    const m = {
      smallMs: median(runs.map((x) => x.smallMs)),
      largeMs: median(runs.map((x) => x.largeMs)),
      sumSmallMs: median(runs.map((x) => x.sumSmallMs)),
      sumLargeMs: median(runs.map((x) => x.sumLargeMs)),
    };
    const rows = [
      {
        name: '2 000 blobs of ~30 KB (one putFiles call)',
        bytes: smallBytes,
        files: SMALL_COUNT,
        ms: m.smallMs,
        sumMs: m.sumSmallMs,
      },
      { name: '1 blob of 50 MB', bytes: LARGE_BYTES, files: 1, ms: m.largeMs, sumMs: m.sumLargeMs },
    ];
    const table = rows
      .map((row) => {
        const mbps = mbPerSecond(row.bytes, row.ms);
        const sum = mbPerSecond(row.bytes, row.sumMs);
        return `| ${row.name} | ${(row.bytes / 1e6).toFixed(1)} MB | ${row.ms.toFixed(0)} ms | ${fmt(mbps)} | ${fmt(perSecond(row.files, row.ms))} | ${fmt(sum)} | ${(mbps / sum).toFixed(3)} |`;
      })
      .join('\n');
    const perRun = runs
      .map((x, i) => `${i + 1}: ${x.smallMs.toFixed(0)} / ${x.largeMs.toFixed(0)} ms (sha256sum ${x.sumSmallMs.toFixed(0)} / ${x.sumLargeMs.toFixed(0)} ms)`)
      .join('; ');
    const section = `## store — hash + store throughput (\`npm run bench:store\`)

\`window.pawprint.putFiles\` (SHA-256 + MD5 in the ingest Web Worker, blobs written to
IndexedDB) on random bytes, timed in the page around the call; generating the bytes is not
timed. Fresh Chromium profile (empty IndexedDB) per run; medians of ${runs.length} runs.
Native anchor: \`sha256sum\` (SHA-256 only, one process, files already in the page cache
after one untimed pass) over the very same bytes, written by Node from the same seeded PRNG.
Every run checks that the page's SHA-256s equal Node's and sha256sum's. MB = 10^6 bytes.

- Date: ${today()}
- Machine: ${machineLine()}
- Chromium: ${version} (Debian), headless, \`${CHROMIUM_ARGS.join(' ')}\`
- WebGPU adapter: ${info?.adapterString ?? 'unknown'}; tfjs backend: ${info?.backend ?? 'unknown'}
- Status line: ${info?.statusText ?? ''}

| case | bytes | Pawprint time | Pawprint MB/s | Pawprint files/s | sha256sum MB/s | ratio Pawprint / sha256sum |
| --- | --- | --- | --- | --- | --- | --- |
${table}

Per run (small / large, ms): ${perRun}.
`;
    writeSection('store', section);
    console.log(`\n${section}`);
    console.log('bench:store: BENCHMARKS.md updated');
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}
