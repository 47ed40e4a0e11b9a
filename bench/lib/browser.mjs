// The app in headless Chromium for benchmarks: build + serve once, then a fresh profile
// (fresh, empty IndexedDB) per run. Same harness as the browser tests (test/harness).
import { CHROMIUM_ARGS } from '../../test/harness/chromium.mjs';
import { openApp, queryAdapter } from '../../test/harness/page.mjs';
import { buildAndServe } from '../../test/harness/server.mjs';

export { CHROMIUM_ARGS };

/**
 * Builds the app (into .cache/bench-dist, apart from the tests' build) and serves it.
 * @returns {Promise<{ url: string, buildMs: number, close: () => Promise<void> }>}
 */
export async function startApp() {
  // PAWPRINT_APP_ROOT: benchmark another Vite project (used to develop the harness itself).
  const root = process.env.PAWPRINT_APP_ROOT;
  return buildAndServe({ outDir: '.cache/bench-dist', ...(root ? { root } : {}) });
}

/**
 * Opens the app in a fresh profile and waits until the store is open and tfjs has picked
 * its backend (so start-up work does not overlap the measurement).
 * @param {string} url
 * @param {{ settleMs?: number }} [options]
 */
export async function openFreshApp(url, options = {}) {
  const app = await openApp(url, { timeoutMs: 180_000 });
  try {
    await app.waitForPawprint();
    const status = app.page.getByRole('status', { name: 'Runtime' });
    await status.waitFor({ state: 'visible' });
    const deadline = Date.now() + 180_000;
    let text = '';
    for (;;) {
      text = await status.innerText();
      if (/Backend: (?!starting)\S/.test(text)) break;
      if (Date.now() > deadline) throw new Error(`tfjs backend did not start within 180 s; status line: ${text}`);
      await app.page.waitForTimeout(250);
    }
    await app.page.waitForTimeout(options.settleMs ?? 1000);
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}

/**
 * What the page runs on: the status line's text and the WebGPU adapter, queried directly.
 * @param {import('playwright-core').Page} page
 */
export async function runtimeInfo(page) {
  const statusText = ((await page.getByRole('status', { name: 'Runtime' }).innerText()) ?? '').replace(/\s+/g, ' ').trim();
  const adapter = await queryAdapter(page);
  const adapterString = adapter
    ? `${[adapter.vendor, adapter.architecture].filter(Boolean).join(' ')}${adapter.description ? ` — ${adapter.description}` : ''}${adapter.isFallbackAdapter ? ' (software adapter, isFallbackAdapter: true)' : ''}`
    : 'no WebGPU';
  const backend = /Backend: (\S+)/.exec(statusText)?.[1] ?? 'unknown';
  return { statusText, adapter, adapterString, backend };
}
