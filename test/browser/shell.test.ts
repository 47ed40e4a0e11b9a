// The app shell in a real browser (headless Debian Chromium, software WebGPU), checked the
// way a person would: by what the page shows, found by role and accessible name.
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { freshProfile } from '../harness/chromium.mjs';
import { queryAdapter } from '../harness/page.mjs';
import { REPO_ROOT } from '../harness/server.mjs';
import { appUrl, openPawprint, putBytes, readBytes, waitForPawprint, type OpenedApp } from './app';
import { HANG, randomBytes } from './fixtures';


const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

function runtimeStatus(app: OpenedApp) {
  return app.page.getByRole('status', { name: 'Runtime' });
}

/** Waits until the status line shows `pattern` and returns its text. */
async function statusShows(app: OpenedApp, pattern: RegExp): Promise<string> {
  const status = runtimeStatus(app);
  await status.waitFor({ state: 'visible', timeout: HANG });
  await expect
    .poll(() => status.innerText(), { timeout: HANG, interval: 250 })
    .toMatch(pattern);
  return status.innerText();
}

const BACKEND_READY = /Backend: (?!starting)\S+/;
const STORE_ONE_BLOB = /Store: 1 blobs?\b/;

function expectNoErrors(app: OpenedApp): void {
  expect(app.pageErrors, 'uncaught errors in the page').toEqual([]);
  expect(app.consoleErrors, 'console errors in the page').toEqual([]);
}

async function reportFailure(testName: string, index: number, app: OpenedApp): Promise<void> {
  const slug = testName.replace(/[^a-z0-9]+/gi, '-').slice(0, 80);
  const path = join(REPO_ROOT, 'test-results', `${slug}-${index}.png`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    await app.page.screenshot({ path, fullPage: true, timeout: 10_000 });
  } catch {
    // The page may be gone (crash, closed browser): the errors below still help.
  }
  console.error(
    [
      `[${testName}] page ${index}: ${app.page.url()}`,
      `  screenshot: ${path}`,
      `  page errors: ${app.pageErrors.length ? app.pageErrors.join('\n    ') : 'none'}`,
      `  console errors: ${app.consoleErrors.length ? app.consoleErrors.join('\n    ') : 'none'}`,
    ].join('\n'),
  );
}

const opened: OpenedApp[] = [];
const profiles: { remove: () => void }[] = [];
async function open(options: { userDataDir?: string } = {}): Promise<OpenedApp> {
  const app = await openPawprint(options);
  opened.push(app);
  return app;
}
afterEach(async (context) => {
  const failed = context.task.result?.state === 'fail';
  for (const [i, app] of opened.splice(0).entries()) {
    // On failure, show what a person would have seen: a screenshot and the page's errors.
    if (failed) await reportFailure(context.task.name, i, app);
    await app.close();
  }
  for (const profile of profiles.splice(0)) profile.remove();
});

describe('app shell', () => {
  test('loads with its title, its regions and no console or page errors', async () => {
    const app = await open();
    const { page } = app;
    expect(await page.title()).toBe('Pawprint');
    await page.getByRole('heading', { level: 1, name: 'Pawprint', exact: true }).waitFor();
    for (const region of ['Dataset', 'Training', 'Pipeline', 'Experiments', 'Versions']) {
      const heading = page.getByRole('heading', { level: 2, name: region, exact: true });
      await heading.waitFor({ state: 'visible' });
      expect(await heading.count(), `h2 "${region}"`).toBe(1);
    }
    // Let start-up finish (tfjs backend, adapter, storage estimate) before judging errors.
    await statusShows(app, BACKEND_READY);
    expect(await page.getByRole('alert').allInnerTexts(), 'error alerts shown on the page').toEqual([]);
    expectNoErrors(app);
  });

  test('the status line shows the WebGPU adapter, a started backend, storage and store', async () => {
    const app = await open();
    const adapter = await queryAdapter(app.page);
    // Under the harness flags Chromium has WebGPU on SwiftShader (see test/harness/chromium.mjs).
    expect(adapter, 'navigator.gpu.requestAdapter() in the page').not.toBeNull();
    await statusShows(app, BACKEND_READY);
    // A tfjs backend name, not "starting…" nor a failure such as "unavailable".
    const text = await statusShows(app, /Backend: (webgpu|webgl|wasm|cpu)\b/);
    await statusShows(app, /Adapter: (?!no WebGPU)\S/);
    const expected = `Adapter: ${[adapter!.vendor, adapter!.architecture].filter(Boolean).join(' ')}`;
    const final = await statusShows(app, new RegExp(expected.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
    if (adapter!.isFallbackAdapter) expect(final).toContain('(software adapter)');
    else expect(final).not.toContain('software adapter');
    await statusShows(app, /Storage: \S.* used of \S/);
    await statusShows(app, /Store: 0 blobs\b/);
    console.info(`status line: ${text.replace(/\s+/g, ' ')}`);
  });

  test('a stored blob survives a reload, byte for byte, and storing it again is deduplicated', async () => {
    const app = await open();
    const bytes = randomBytes(10_000, 0x5eed);
    const first = await putBytes(app, bytes);
    expect(first).toMatchObject({ storedCount: 1, skippedCount: 0, bytesStored: bytes.length, bytesSkipped: 0 });
    expect(first.sha256).toEqual([sha256Hex(bytes)]);
    await statusShows(app, STORE_ONE_BLOB);

    await app.page.reload({ waitUntil: 'load' });
    await waitForPawprint(app.page);
    expect(await readBytes(app, first.sha256[0]!)).toEqual(bytes);
    await statusShows(app, STORE_ONE_BLOB);
    const usage = await app.page.evaluate(() =>
      (window as unknown as { pawprint: { usage(): Promise<{ blobs: number; blobBytes: number }> } }).pawprint.usage(),
    );
    expect(usage).toMatchObject({ blobs: 1, blobBytes: bytes.length });

    const again = await putBytes(app, bytes);
    expect(again).toMatchObject({ storedCount: 0, skippedCount: 1, bytesStored: 0, bytesSkipped: bytes.length });
    expect(again.sha256).toEqual(first.sha256);
    await statusShows(app, STORE_ONE_BLOB);
    expectNoErrors(app);
  });

  test('a stored blob survives closing and reopening the browser on the same profile', async () => {
    const profile = freshProfile();
    profiles.push(profile);
    const bytes = randomBytes(3_000, 42);
    const before = await open({ userDataDir: profile.dir });
    const put = await putBytes(before, bytes);
    expect(put.storedCount).toBe(1);
    await before.close();

    const after = await open({ userDataDir: profile.dir });
    expect(await readBytes(after, sha256Hex(bytes))).toEqual(bytes);
    await statusShows(after, STORE_ONE_BLOB);
  });

  test('makes no request outside its own origin, and its CSP connects only to itself and an https or loopback remote', async () => {
    const url = appUrl();
    const origin = new URL(url).origin;
    const app = await open();
    await statusShows(app, BACKEND_READY);
    const bytes = randomBytes(5_000, 7);
    const put = await putBytes(app, bytes);
    await app.page.reload({ waitUntil: 'load' });
    await waitForPawprint(app.page);
    expect(await readBytes(app, put.sha256[0]!)).toEqual(bytes);
    await statusShows(app, BACKEND_READY);

    expect(app.requests.length, 'requests recorded').toBeGreaterThan(0);
    const foreign = app.requests.filter((u) => {
      const parsed = new URL(u);
      if (parsed.protocol === 'data:' || parsed.protocol === 'blob:') return false;
      return parsed.origin !== origin;
    });
    expect(foreign, `requests outside ${origin}`).toEqual([]);

    const csp = await app.page
      .locator('meta[http-equiv="Content-Security-Policy" i]')
      .getAttribute('content', { timeout: 5_000 });
    expect(csp, 'Content-Security-Policy meta tag').toBeTruthy();
    const directives = new Map(
      csp!
        .split(';')
        .map((d) => d.trim().split(/\s+/))
        .filter((d) => d[0])
        .map(([name, ...values]) => [name!.toLowerCase(), values] as const),
    );
    // The HTTP remote the user names: https anywhere, plain http only on this machine.
    expect(directives.get('connect-src'), 'connect-src').toEqual([
      "'self'",
      'https:',
      'http://127.0.0.1:*',
      'http://localhost:*',
    ]);
    expect(directives.get('default-src'), 'default-src').toEqual(["'self'"]);
    // No other directive names a host or scheme-wide source (only 'self', keywords, blob:, data:).
    const hostSources = [...directives]
      .filter(([name]) => name !== 'connect-src')
      .flatMap(([, values]) => values)
      .filter((v) => !/^('[^']*'|blob:|data:)$/.test(v));
    expect(hostSources, 'host sources in the CSP').toEqual([]);
  });
});
