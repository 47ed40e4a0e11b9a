// Offline: after one visit the service worker (src/sw/service-worker.ts, built to /sw.js) has
// cached the whole build, so with the network off the page reloads and a person can import a
// data set and train on it. The data set is a small subset of the real Fashion-MNIST zip
// (40 train + 20 validation images per class), trained for 1 epoch at 22×22 on WASM (~115
// images/s here, so the run takes seconds), whose .wasm binary must come from the cache too;
// the model is committed and "Download app" zips the deployed page's files from the cache; then
// "Pretrained features" loads the bundled backbone, a lazy chunk, from the cache.
// Then a deploy: a second build served on the same origin takes over an open tab.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join, relative, resolve, sep } from 'node:path';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { preview } from 'vite';
import { describe, expect, test } from 'vitest';
import { openApp } from '../harness/page.mjs';
import { REPO_ROOT } from '../harness/server.mjs';
import { waitForPawprint } from './app';
import { downloadsOf } from './exchange-helpers';
import { HANG, browsers } from './fixtures';
import { backboneNote, chooseModel } from './pretrained-helpers';
import {
  FASHION,
  backendInUse,
  expectSaneRow,
  expectStoredRun,
  importZip,
  metricsTable,
  setInputs,
  storedRun,
  subsetZip,
  trainButton,
  waitForResult,
} from './training-helpers';
import { commitOk, versionItem } from './versions-helpers';

const session = browsers({ perTest: true });
const SIZE = 22;
/** A same-origin URL the build does not have: only the network could answer it. */
const NOT_CACHED = '/offline-probe.txt';

/** The folder of the build the harness serves (test/harness/server.mjs). */
const BUILD = resolve(REPO_ROOT, process.env.PAWPRINT_HARNESS_DIST ?? join('.cache', 'harness-dist'));

/** Every file of a build, as paths under its folder. */
function builtFiles(outDir = BUILD): string[] {
  return readdirSync(outDir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(outDir, join(entry.parentPath, entry.name)).split(sep).join('/'))
    .sort();
}

/** Waits until a service worker is active and controls the page. */
async function waitForServiceWorker(page: Page): Promise<void> {
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.waitForFunction(() => navigator.serviceWorker.controller !== null);
}

/** The caches the page's origin holds: name → paths of the cached requests, sorted. */
function cachedPaths(page: Page): Promise<Record<string, string[]>> {
  return page.evaluate(async () => {
    const out: Record<string, string[]> = {};
    for (const name of await caches.keys()) {
      const requests = await (await caches.open(name)).keys();
      out[name] = requests.map((request) => new URL(request.url).pathname.slice(1)).sort();
    }
    return out;
  });
}

/** The text a fetch of `path` from the page gets (status 200 only). */
function fetchText(page: Page, path: string): Promise<string> {
  return page.evaluate(async (url) => {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`GET ${url}: ${response.status}`);
    return response.text();
  }, path);
}

/** How a fetch of `path` from the page ends: "<status>" or "failed: <error>". */
function fetchOutcome(page: Page, path: string): Promise<string> {
  return page.evaluate(async (url) => {
    try {
      return String((await fetch(url, { cache: 'no-store' })).status);
    } catch (err) {
      return `failed: ${String(err)}`;
    }
  }, path);
}

describe('offline', () => {
  test('after one visit the page reloads with the network off, imports a data set and trains 1 epoch on WASM', async () => {
    const app = await session.open();
    const { page, context } = app;
    await waitForServiceWorker(page);

    const caches = await cachedPaths(page);
    expect(Object.keys(caches), 'one cache after the first visit').toHaveLength(1);
    expect(Object.values(caches)[0], 'the cache holds every file of the build but sw.js').toEqual(builtFiles().filter((path) => path !== 'sw.js'));

    await context.setOffline(true);
    expect(await fetchOutcome(page, NOT_CACHED), 'a file the build does not have, with the network off').toMatch(/^failed: TypeError/);

    const reloaded = await page.reload({ waitUntil: 'load' });
    expect(reloaded?.fromServiceWorker(), 'the reloaded page came from the service worker').toBe(true);
    await waitForPawprint(page);
    await page.getByRole('heading', { name: 'Pawprint', level: 1 }).waitFor();
    expect(await page.evaluate(() => navigator.onLine), 'navigator.onLine after the reload').toBe(false);

    await importZip(page, { name: 'fashion-subset.zip', bytes: subsetZip(FASHION(), { train: 40, validation: 20 }) });
    await setInputs(page, { imageSize: SIZE, epochs: 1, backend: 'WASM' });
    await trainButton(page).click();
    await waitForResult(page);

    expect(await backendInUse(page)).toMatch(/^Backend: wasm \(.+\)\. Chosen by you\.$/);
    const metrics = await metricsTable(page);
    expect(metrics.rows.map((row) => row.epoch), 'epochs in the Metrics table').toEqual([0]);
    expectSaneRow(metrics.rows[0]!, 'epoch 0');
    expectStoredRun(await storedRun(page), metrics.rows, { backend: 'wasm', epochs: 1, imageSize: SIZE, classes: ['sandal', 'sneaker'] });

    // "Download app" zips the deployed page's built files (deploy/): the cache has them too.
    await commitOk(page, 'Trained offline', 'v1.0');
    const shipped = await downloadsOf(page, 'Download app', 1, versionItem(page, 'v1.0'));
    expect(Object.keys(unzipSync([...shipped.values()][0]!)).sort()).toEqual(
      expect.arrayContaining(['app.js', 'index.html', 'model/model.json', 'model/weights.bin', 'release.json', 'sw.js', 'tfjs-backend-wasm.wasm']),
    );

    // The bundled backbone is a lazy chunk of the build: the service worker has it too.
    await chooseModel(page, 'Pretrained features');
    expect(await backboneNote(page)).toMatch(/^Features: MobileNetV2, ImageNet weights/);

    expect(app.pageErrors, 'uncaught errors in the page').toEqual([]);
    // The probe above is the one request that was meant to fail.
    expect(app.consoleErrors.filter((text) => !text.includes(NOT_CACHED)), 'console errors in the page').toEqual([]);
  });

  test("a new build takes over an open tab: the tab still gets the old build's chunks, and after one reload runs only the new build", async () => {
    const next = `${BUILD}-next`;
    buildNextVersion(next);
    const scriptOf = (outDir: string) => /<script type="module" crossorigin src="\/(assets\/index-[^"]+\.js)"/.exec(readFileSync(join(outDir, 'index.html'), 'utf8'))?.[1];
    const [oldScript, newScript] = [scriptOf(BUILD), scriptOf(next)];
    expect(oldScript, "the first build's script").toBeTruthy();
    expect(newScript, "the next build's script differs from the first's").not.toBe(oldScript);

    const port = await freePort();
    let server = await serve(BUILD, port);
    const app = await openApp(`http://127.0.0.1:${port}`);
    try {
      const { page } = app;
      await app.waitForPawprint();
      await waitForServiceWorker(page);
      const [oldCache] = Object.keys(await cachedPaths(page));

      // The deploy: the same origin now serves only the next build.
      await server.close();
      server = await serve(next, port);
      // The reload is answered from the cache; the browser's update check then finds the new sw.js.
      await page.reload({ waitUntil: 'load' });
      const nextFiles = builtFiles(next).filter((path) => path !== 'sw.js');
      await expect
        .poll(async () => Object.values(await cachedPaths(page)), { timeout: HANG, interval: 250 })
        .toEqual([expect.any(Array), nextFiles]);
      expect(Object.keys(await cachedPaths(page))[0], "the first build's cache is kept for tabs still running it").toBe(oldCache);
      await page.waitForFunction(async () => {
        const registration = await navigator.serviceWorker.getRegistration();
        return registration?.active?.state === 'activated' && navigator.serviceWorker.controller === registration.active;
      });
      // vite preview answers a missing file with index.html, so compare the bytes.
      expect(await fetchText(page, `/${oldScript}`), "the first build's script, which the server no longer has").toBe(readFileSync(join(BUILD, oldScript!), 'utf8'));

      await page.reload({ waitUntil: 'load' });
      await waitForPawprint(page);
      await page.getByRole('heading', { name: 'Pawprint', level: 1 }).waitFor();
      const scripts = await page.evaluate(() => Array.from(document.scripts, (script) => new URL(script.src).pathname.slice(1)));
      expect(scripts, 'the scripts of the reloaded page').toEqual([newScript]);
      expect(app.pageErrors, 'uncaught errors in the page').toEqual([]);
      expect(app.consoleErrors, 'console errors in the page').toEqual([]);
    } finally {
      await app.close();
      await server.close();
    }
  });
});

/** Builds the app again as a new version would be (another app version, so every chunk differs). */
function buildNextVersion(outDir: string): void {
  const script = `const { build } = await import('vite');
await build({ root: process.argv[1], logLevel: 'error', define: { __APP_VERSION__: '"0.0.0-next"' }, build: { outDir: process.argv[2], emptyOutDir: true } });`;
  // NODE_ENV=production: a production bundle, as test/harness/server.mjs builds it.
  execFileSync(process.execPath, ['--input-type=module', '-e', script, REPO_ROOT, outDir], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_ENV: 'production' },
    stdio: 'pipe',
  });
}

/** A port no one listens on now. */
function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolvePort(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Serves a build with vite preview on 127.0.0.1:`port`, as a static host would. */
async function serve(outDir: string, port: number): Promise<{ close: () => Promise<void> }> {
  const server = await preview({ root: REPO_ROOT, logLevel: 'warn', build: { outDir }, preview: { host: '127.0.0.1', port, strictPort: true, open: false } });
  return { close: () => server.close() };
}
