// bench:cleanup — bytes left behind by work that did not finish, as Verify reports them before
// Clean up and as they are after it (target: 0), through the page in headless Chromium:
//   - killed: an import of 20 000 Fashion-MNIST PNGs, Chromium killed (SIGKILL) once the
//     "Storing files" bar passes a quarter; then reopened on the same profile;
//   - quota: an import of 2 400 files (48 MB) with the origin's quota set 40 MB above its usage
//     (Storage.overrideQuotaForOrigin), refused when the space runs out;
//   - refused: an import whose class folder holds U+202E RIGHT-TO-LEFT OVERRIDE, refused by the
//     review, then cancelled.
// Each starts from a committed v1.0 of 30 Fashion-MNIST images in a fresh profile. Measured:
// the bytes in the store's OPFS pack folder beyond v1.0's files (read by the page from OPFS, not
// from the store's records), what the store reports as unreachable (what Verify and the start-up
// check show), and both again after pressing Clean up. Medians over the runs (default 3).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { freshProfile, killChromium } from '../test/harness/chromium.mjs';
import { FASHION_CLASSES } from '../scripts/datasets/fashion.mjs';
import { fashionZip } from '../test/harness/fashion-many.mjs';
import { openApp } from '../test/harness/page.mjs';
import { packFolderBytes, pressCleanUp, quotaAbove } from '../test/harness/storage.mjs';
import { CHROMIUM_ARGS, startApp } from './lib/browser.mjs';
import { fillRandom } from './lib/prng.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { median } from './lib/stats.mjs';
import { importZip } from './lib/train-page.mjs';
import { zipSync } from 'fflate';

const HANG = 600_000;

/** @param {import('playwright-core').Page} page */
const usage = (page) => page.evaluate(() => /** @type {any} */ (window).pawprint.usage());
/** @param {import('playwright-core').Page} page */
const unreachable = (page) => page.evaluate(async () => (await /** @type {any} */ (window).pawprint.unreachable()).bytes);

/** @param {import('playwright-core').Page} page @param {(page: import('playwright-core').Page) => Promise<boolean>} check */
async function until(page, check, what) {
  const deadline = Date.now() + HANG;
  while (!(await check(page))) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await page.waitForTimeout(100);
  }
}

/** Bytes in OPFS beyond v1.0's, what the store calls unreachable; then the same after Clean up. */
async function measure(page, v1Bytes) {
  const before = { onDisk: (await packFolderBytes(page)) - v1Bytes, reported: await unreachable(page) };
  const said = await pressCleanUp(page, { timeout: HANG });
  const after = { onDisk: (await packFolderBytes(page)) - v1Bytes, reported: await unreachable(page) };
  return { before, after, said };
}

/** @param {string} url @param {string} dir @param {Record<string, string>} zips */
async function oneRun(url, dir, zips) {
  /** @type {Record<string, Awaited<ReturnType<typeof measure>>>} */
  const cases = {};
  const start = async (profileDir) => {
    const app = await openApp(url, { timeoutMs: HANG, ...(profileDir ? { userDataDir: profileDir } : {}) });
    await app.waitForPawprint();
    app.page.setDefaultTimeout(HANG);
    return app;
  };
  const v1 = async (page) => {
    await importZip(page, zips.v1);
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('Small set');
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('v1.0');
    await page.getByRole('button', { name: 'Commit', exact: true }).click();
    await page.getByRole('status', { name: 'Versions result', exact: true }).waitFor();
    return (await usage(page)).blobBytes;
  };

  // killed
  const profile = freshProfile('pawprint-bench-killed-');
  try {
    let app = await start(profile.dir);
    const v1Bytes = await v1(app.page);
    await app.page.getByLabel('Add images', { exact: true }).setInputFiles(zips.many);
    await app.page.getByRole('region', { name: 'Review import', exact: true }).getByRole('button', { name: 'Add to data set', exact: true }).click();
    const bar = app.page.getByRole('progressbar', { name: 'Storing files', exact: true });
    await until(app.page, async () => Number((await bar.getAttribute('value').catch(() => null)) ?? 0) > 0.25, 'a quarter stored');
    killChromium(profile.dir);
    await app.close();
    app = await start(profile.dir);
    await app.page.getByRole('list', { name: 'Versions', exact: true }).waitFor();
    cases.killed = await measure(app.page, v1Bytes);
    await app.close();
  } finally {
    profile.remove();
  }

  // quota
  let app = await start();
  try {
    const v1Bytes = await v1(app.page);
    await quotaAbove(app.page, 40_000_000);
    await app.page.getByLabel('Add images', { exact: true }).setInputFiles(zips.big);
    await app.page.getByRole('region', { name: 'Review import', exact: true }).getByRole('button', { name: 'Add to data set', exact: true }).click();
    await app.page.getByRole('alert').first().waitFor();
    await until(app.page, async (page) => (await page.getByRole('progressbar').count()) === 0, 'the import to end');
    cases.quota = await measure(app.page, v1Bytes);
  } finally {
    await app.close();
  }

  // refused
  app = await start();
  try {
    const v1Bytes = await v1(app.page);
    await app.page.getByLabel('Add images', { exact: true }).setInputFiles(zips.refused);
    const review = app.page.getByRole('region', { name: 'Review import', exact: true });
    await review.getByRole('button', { name: 'Add to data set', exact: true }).click();
    await review.getByRole('alert', { name: 'Before adding', exact: true }).waitFor();
    await review.getByRole('button', { name: 'Cancel', exact: true }).click();
    cases.refused = await measure(app.page, v1Bytes);
  } finally {
    await app.close();
  }
  return cases;
}

/** @param {{ runs?: number }} [options] */
export async function runCleanup(options = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pawprint-bench-cleanup-'));
  const write = (name, bytes) => {
    const path = join(dir, name);
    writeFileSync(path, bytes);
    return path;
  };
  const fashion = fashionZip(20_030);
  const files = [...fashion.files];
  /** @type {Record<string, Uint8Array>} */
  const small = {};
  files.slice(0, 30).forEach(([path, bytes], i) => (small[path.replace('data/train/', i % 3 === 0 ? 'data/validation/' : 'data/train/')] = bytes));
  /** @type {Record<string, Uint8Array>} */
  const big = {};
  const header = files[0][1].subarray(0, 33); // a PNG signature and header: taken by the import, 20 000 bytes of noise after it
  for (let i = 0; i < 2400; i++) {
    const bytes = new Uint8Array(20_000);
    bytes.set(header);
    fillRandom(bytes.subarray(33), 0x2000 + i);
    big[`data/train/${FASHION_CLASSES[i % 2]}-big/${i}.png`] = bytes;
  }
  const refused = Object.fromEntries(files.slice(30, 36).map(([path, bytes], i) => [`data/train/${i % 2 ? 'shoes' : 'bags\u202ex'}/${i}.png`, bytes]));
  const zips = {
    v1: write('v1.zip', zipSync(small, { level: 0 })),
    many: write('many.zip', zipSync(Object.fromEntries(files.slice(30)), { level: 0 })),
    big: write('big.zip', zipSync(big, { level: 0 })),
    refused: write('refused.zip', zipSync(refused, { level: 0 })),
  };
  const app = await startApp();
  console.log(`bench:cleanup: app built in ${(app.buildMs / 1000).toFixed(1)} s, served at ${app.url}`);
  const runs = options.runs ?? 3;
  /** @type {{ load: number, cases: Awaited<ReturnType<typeof oneRun>> }[]} */
  const results = [];
  try {
    for (let r = 0; r < runs; r++) {
      const load = loadavg()[0] ?? 0;
      const cases = await oneRun(app.url, dir, zips);
      results.push({ load, cases });
      console.log(`run ${r + 1} (load ${load.toFixed(1)}): ${JSON.stringify(cases)}`);
    }
  } finally {
    await app.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const names = { killed: 'import of 20 000 files, browser killed a quarter in', quota: 'import of 48 MB refused for quota (40 MB left)', refused: 'import refused (U+202E in a class folder)' };
  const fmtBytes = (values) => `${median(values).toLocaleString('en-US').replace(/,/g, ' ')} (${values.map((v) => v.toLocaleString('en-US').replace(/,/g, ' ')).join(', ')})`;
  const table = Object.entries(names)
    .map(([key, name]) => {
      const all = results.map((result) => result.cases[key]);
      return `| ${name} | ${fmtBytes(all.map((c) => c.before.onDisk))} | ${fmtBytes(all.map((c) => c.before.reported))} | ${fmtBytes(all.map((c) => c.after.onDisk))} | ${fmtBytes(all.map((c) => c.after.reported))} |`;
    })
    .join('\n');
  const loads = results.map((result) => result.load);
  const section = `## cleanup — bytes left behind, before and after Clean up (\`npm run bench:cleanup\`)

Each case starts from a committed v1.0 (30 Fashion-MNIST PNGs) in a fresh Chromium profile. "On
disk" is the size of the store's OPFS pack folder beyond v1.0's files, read by the page from OPFS
(not from the store's records); "reported" is what the store finds unreachable, as Verify and the
start-up check show it. Then Clean up is pressed and both are read again. Bytes; medians of
${runs} runs (each run in brackets). Target: 0 after Clean up.

- Date: ${today()}
- Machine: ${machineLine()}; 1-min load average at the start of each run: ${loads.map((l) => l.toFixed(1)).join(', ')}
- Chromium: headless, \`${CHROMIUM_ARGS.join(' ')}\`

| case | on disk before | reported by Verify before | on disk after Clean up | reported after Clean up |
| --- | --- | --- | --- | --- |
${table}

A refused or quota-stopped import takes back what it stored before it reports the failure, so
nothing is left for Clean up; only a killed browser leaves bytes, which the next start finds.
`;
  writeSection('cleanup', section);
  console.log(`\n${section}`);
}
