// Opens the served app in headless Chromium and watches it the way a tester would:
// console errors, uncaught page errors and every network request are recorded.
// Shared by the browser tests (test/browser) and the benchmarks (bench/).

import { launchChromium } from './chromium.mjs';

/**
 * @typedef {object} OpenedApp
 * @property {import('playwright-core').Page} page
 * @property {import('playwright-core').BrowserContext} context
 * @property {string} version Chromium version.
 * @property {string} userDataDir
 * @property {string[]} consoleErrors Text of every console message of type "error".
 * @property {string[]} pageErrors Every uncaught exception / unhandled rejection in the page.
 * @property {string[]} requests URL of every request made by the context (pages and workers).
 * @property {() => Promise<void>} waitForPawprint Resolves once window.pawprint.ready has.
 * @property {() => Promise<void>} close
 */

/**
 * Launches Chromium (fresh profile unless `userDataDir` is given), starts recording, and
 * navigates to `url`. Does not wait for the app; call `waitForPawprint()` for that.
 * @param {string} url The app's origin, e.g. "http://127.0.0.1:41234".
 * @param {{ userDataDir?: string, extraArgs?: string[], timeoutMs?: number }} [options]
 * @returns {Promise<OpenedApp>}
 */
export async function openApp(url, options = {}) {
  const launched = await launchChromium({
    ...(options.userDataDir ? { userDataDir: options.userDataDir } : {}),
    ...(options.extraArgs ? { extraArgs: options.extraArgs } : {}),
  });
  const { context, page } = launched;
  const timeoutMs = options.timeoutMs ?? 60_000;
  page.setDefaultTimeout(timeoutMs);

  /** @type {string[]} */ const consoleErrors = [];
  /** @type {string[]} */ const pageErrors = [];
  /** @type {string[]} */ const requests = [];
  context.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error') {
      const where = message.location();
      consoleErrors.push(`${message.text()}${where.url ? ` (${where.url}:${where.lineNumber})` : ''}`);
    }
  });
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? String(error)));
  page.on('crash', () => pageErrors.push('the page crashed'));

  try {
    await page.goto(`${url}/`, { waitUntil: 'load' });
  } catch (err) {
    await launched.close();
    throw err;
  }

  return {
    page,
    context,
    version: launched.version,
    userDataDir: launched.userDataDir,
    consoleErrors,
    pageErrors,
    requests,
    waitForPawprint: () => waitForPawprint(page, timeoutMs),
    close: launched.close,
  };
}

/**
 * Waits until the page exposes window.pawprint and its `ready` promise has resolved.
 * @param {import('playwright-core').Page} page
 * @param {number} [timeoutMs]
 */
export async function waitForPawprint(page, timeoutMs = 60_000) {
  try {
    await page.waitForFunction(() => 'pawprint' in window, undefined, { timeout: timeoutMs });
  } catch {
    throw new Error(`window.pawprint did not appear within ${timeoutMs} ms on ${page.url()}`);
  }
  await page.evaluate(async () => {
    await /** @type {any} */ (window).pawprint.ready;
  });
}

/**
 * The WebGPU adapter as the page sees it, queried directly (not through the app).
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ vendor: string, architecture: string, device: string, description: string, isFallbackAdapter: boolean } | null>}
 */
export async function queryAdapter(page) {
  return page.evaluate(async () => {
    const gpu = /** @type {any} */ (navigator).gpu;
    if (!gpu) return null;
    const adapter = await gpu.requestAdapter();
    if (!adapter) return null;
    const i = adapter.info;
    return {
      vendor: i.vendor,
      architecture: i.architecture,
      device: i.device,
      description: i.description,
      isFallbackAdapter: i.isFallbackAdapter,
    };
  });
}
