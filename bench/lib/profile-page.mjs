// bench/profile, the profiling page (the app's tfjs build and src/ code in a worker, served
// cross-origin isolated): built and served once, opened in a fresh browser per use.
import { join } from 'node:path';
import { openApp } from '../../test/harness/page.mjs';
import { REPO_ROOT, buildApp, serveApp } from '../../test/harness/server.mjs';

/**
 * Builds bench/profile into .cache/bench-profile-dist and serves it.
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function startProfilePage() {
  const root = join(REPO_ROOT, 'bench', 'profile');
  const outDir = join(REPO_ROOT, '.cache', 'bench-profile-dist');
  await buildApp({ root, outDir });
  return serveApp({ root, outDir });
}

/**
 * Opens the profiling page and waits until its worker is ready.
 * @param {string} url @param {{ extraArgs?: string[], timeoutMs?: number }} [options]
 */
export async function openProfilePage(url, options = {}) {
  const page = await openApp(url, { timeoutMs: 1_800_000, ...options });
  try {
    await page.page.waitForFunction(() => /** @type {any} */ (window).profileReady === true);
  } catch (error) {
    await page.close();
    throw error;
  }
  return page;
}
