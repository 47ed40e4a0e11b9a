// bench:verify — "Verify store" at scale, against sha256sum on the same files in the same run.
//
// In headless Chromium, fresh profile per run, through the page as a person would: import the
// files ("Add images", "Add to data set", until the import and the image check are over), then
// press "Verify store" and time it on the page's clock from the click to the "Verify result"
// (which rehashes every file with SHA-256 and MD5, re-derives every record and finds what is
// unreachable). Two sets:
//   - 20 000 Fashion-MNIST images (28×28 grey PNGs, ~8 MB), from the Debian package;
//   - the tutorial's 2 800 JPEGs (tutorial/data.zip, ~67 MB).
// Anchor, same run: the same files extracted to a temp folder and `sha256sum` over them (one
// untimed pass to warm the page cache, then a timed one). Ratio = sha256sum time / Verify time
// (≥ 0.5 is the target: Verify at most twice as long as sha256sum). The machine's 1-min load
// average is recorded per run. Medians over the runs (default 3; --runs N).
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { unzipSync } from 'fflate';
import { datasetsDir, makeDatasets } from '../test/harness/datasets.mjs';
import { CHROMIUM_ARGS, openFreshApp, startApp } from './lib/browser.mjs';
import { fashionZip } from '../test/harness/fashion-many.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median, timed } from './lib/stats.mjs';
import { importZip } from './lib/train-page.mjs';

const run = promisify(execFile);
const FASHION_FILES = 20_000;

/**
 * Extracts a zip's files to a folder. @param {Uint8Array} zip @param {string} dir
 * @returns {string[]} the relative paths
 */
function extract(zip, dir) {
  const entries = unzipSync(zip);
  const paths = [];
  for (const [path, bytes] of Object.entries(entries)) {
    if (path.endsWith('/')) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
    paths.push(path);
  }
  return paths;
}

/** sha256sum over the files: a warm-up pass, then a timed one. @param {string} dir @param {string[]} paths */
async function sha256sum(dir, paths) {
  const args = { cwd: dir, maxBuffer: 256 << 20 };
  await run('sha256sum', paths, args);
  const { value, ms } = await timed(() => run('sha256sum', paths, args));
  const lines = value.stdout.trim().split('\n').length;
  if (lines !== paths.length) throw new Error(`sha256sum hashed ${lines} of ${paths.length} files`);
  return ms;
}

/**
 * Presses "Verify store" and times it on the page's clock, until the result shows.
 * @param {import('playwright-core').Page} page
 */
async function timeVerify(page) {
  const { ms, text } = await page.evaluate(
    () =>
      new Promise((resolve) => {
        const storage = document.querySelector('section[aria-label="Storage"]');
        const button = /** @type {HTMLButtonElement} */ ([...(storage?.querySelectorAll('button') ?? [])].find((b) => b.textContent?.trim() === 'Verify store'));
        const start = performance.now();
        const observer = new MutationObserver(() => {
          const result = storage?.querySelector('[aria-label="Verify result"]');
          if (!result || button.disabled) return;
          observer.disconnect();
          resolve({ ms: performance.now() - start, text: /** @type {HTMLElement} */ (result).innerText });
        });
        observer.observe(/** @type {Node} */ (storage), { subtree: true, childList: true, attributes: true, characterData: true });
        button.click();
      }),
  );
  if (!/^Store verified: .* no problems\.$/.test(text)) throw new Error(`Verify said: ${text}`);
  return /** @type {number} */ (ms);
}

/** @param {{ runs?: number }} [options] */
export async function runVerify(options = {}) {
  console.log('bench:verify: building the fixtures (tutorial/data.zip, 20 000 Fashion-MNIST PNGs)…');
  await makeDatasets(['tutorial'], { folders: false });
  const work = mkdtempSync(join(tmpdir(), 'pawprint-bench-verify-'));
  const fashion = fashionZip(FASHION_FILES);
  const sets = [
    { name: `${FASHION_FILES.toLocaleString('en-US').replace(',', ' ')} Fashion-MNIST PNGs (28×28)`, zip: join(work, 'fashion.zip'), bytes: fashion.zip },
    { name: "the tutorial's 2 800 JPEGs", zip: join(datasetsDir(), 'tutorial', 'data.zip'), bytes: null },
  ].map((set) => {
    if (set.bytes) writeFileSync(set.zip, set.bytes);
    const dir = join(work, set.name.replace(/\W+/g, '-'));
    const paths = extract(new Uint8Array(readFileSync(set.zip)), dir);
    const bytes = paths.reduce((total, path) => total + readFileSync(join(dir, path)).length, 0);
    return { ...set, dir, paths, fileBytes: bytes };
  });
  const app = await startApp();
  console.log(`bench:verify: app built in ${(app.buildMs / 1000).toFixed(1)} s, served at ${app.url}`);
  /** @type {{ set: string, verifyMs: number, sumMs: number, load: number }[]} */
  const rows = [];
  let version = '';
  const runs = options.runs ?? 3;
  try {
    for (let r = 0; r < runs; r++) {
      for (const set of sets) {
        const load = loadavg()[0] ?? 0;
        const opened = await openFreshApp(app.url);
        try {
          version = opened.version;
          const said = await importZip(opened.page, set.zip);
          if (!/new files/.test(said)) throw new Error(`import of ${set.name} said: ${said}`);
          const verifyMs = await timeVerify(opened.page);
          if (opened.pageErrors.length) throw new Error(`page errors: ${opened.pageErrors.join('\n')}`);
          await opened.close();
          const sumMs = await sha256sum(set.dir, set.paths);
          rows.push({ set: set.name, verifyMs, sumMs, load });
          console.log(`run ${r + 1}, ${set.name}: Verify ${verifyMs.toFixed(0)} ms, sha256sum ${sumMs.toFixed(0)} ms, ratio ${(sumMs / verifyMs).toFixed(2)} (load ${load.toFixed(1)})`);
        } finally {
          await opened.close();
        }
      }
    }
  } finally {
    await app.close();
    rmSync(work, { recursive: true, force: true });
  }

  const table = sets
    .map((set) => {
      const mine = rows.filter((row) => row.set === set.name);
      const verifyMs = median(mine.map((row) => row.verifyMs));
      const sumMs = median(mine.map((row) => row.sumMs));
      const ratios = mine.map((row) => row.sumMs / row.verifyMs);
      return `| ${set.name} | ${set.paths.length} | ${(set.fileBytes / 1e6).toFixed(1)} MB | ${fmt(verifyMs)} ms | ${fmt(sumMs)} ms | ${median(ratios).toFixed(2)} (${ratios.map((x) => x.toFixed(2)).join(', ')}) |`;
    })
    .join('\n');
  const loads = rows.map((row) => row.load);
  const section = `## verify — Verify store at scale (\`npm run bench:verify\`)

"Verify store" pressed in the page, timed on the page's clock from the click to the result: every
file reread (each pack file front to back, 16 MiB a read) and rehashed with SHA-256 and MD5,
every record re-derived, unreachable bytes looked for. Anchor, same run: \`sha256sum\` (SHA-256
only) over the same files extracted to a folder, page cache warmed by one untimed pass. Ratio =
sha256sum time / Verify time; the target is ≥ 0.5. Fresh Chromium profile per run and set;
medians of ${runs} runs (per-run ratios in brackets).

- Date: ${today()}
- Machine: ${machineLine()}; 1-min load average during the runs: ${Math.min(...loads).toFixed(1)}–${Math.max(...loads).toFixed(1)}
- Chromium: ${version} (Debian), headless, \`${CHROMIUM_ARGS.join(' ')}\`

| set | files | bytes | Verify | sha256sum | ratio sha256sum / Verify |
| --- | --- | --- | --- | --- | --- |
${table}
`;
  writeSection('verify', section);
  console.log(`\n${section}`);
}
