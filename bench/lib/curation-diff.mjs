// bench:curation, the visual diff of a 1 000-file change: the tutorial-sized history (v1 = half
// of each training class, v2 = the whole zip: 1 000 training JPEGs more), both committed data
// only; with v1's "Compare" ticked, ticking v2's is timed to the dvc-diff table showing
// "+1000 added" (the anchor: what Compare showed before) and to the first page's 100
// thumbnails all decoded; then "Next page" nine times, each to its 100 thumbnails decoded.
import { openObserved, timeStep } from './page-clock.mjs';
import { importZip } from './train-page.mjs';

export const DIFF_PAGES = 10;

/** @param {import('playwright-core').Page} page @param {string} message */
async function commit(page, message) {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(message);
  await page.getByRole('textbox', { name: 'Tag', exact: true }).fill(message);
  await page.getByRole('button', { name: 'Commit', exact: true }).click();
  await page.getByRole('status', { name: 'Versions result', exact: true }).filter({ hasText: `Committed “${message}”` }).waitFor({ timeout: 120_000 });
}

/**
 * In the page: performance.now() once the changed files say "<from>–<to> of 1 000" and every
 * thumbnail shown has decoded; the dvc-diff caption's first "+1000 added" is noted on the way.
 * @param {{ shown: string }} want
 */
function thumbnailsShown(want) {
  const w = /** @type {any} */ (window);
  const caption = document.querySelector('table[aria-label="Files changed"] caption')?.textContent ?? '';
  if (!w.__table && caption.includes('+1000 added')) w.__table = performance.now();
  const region = document.querySelector('section[aria-label="Changed files"]');
  const status = region?.querySelector('[aria-label="Changed files shown"]')?.textContent?.replace(/\s+/g, ' ').trim();
  if (status !== want.shown) return false;
  const imgs = Array.from(region?.querySelectorAll('img') ?? []);
  return imgs.length > 0 && imgs.every((img) => /** @type {HTMLImageElement} */ (img).complete && /** @type {HTMLImageElement} */ (img).naturalWidth > 0) ? performance.now() : false;
}

/** @param {string} url @param {{ v1Zip: string, v2Zip: string }} history @param {(t: string) => void} log */
export async function diffRun(url, history, log) {
  const app = await openObserved(url);
  const { page } = app;
  try {
    await importZip(page, history.v1Zip);
    await commit(page, 'first');
    await importZip(page, history.v2Zip);
    await commit(page, 'second');
    log('v1 and v2 committed');
    const item = (/** @type {string} */ tag) => page.getByRole('list', { name: 'Versions', exact: true }).getByRole('listitem').filter({ has: page.getByRole('button', { name: `Remove tag ${tag}`, exact: true }) });
    await item('first').getByRole('checkbox', { name: 'Compare', exact: true }).click();
    await page.evaluate(() => (/** @type {any} */ (window).__table = 0));
    const first = await timeStep(page, () => item('second').getByRole('checkbox', { name: 'Compare', exact: true }).click(), thumbnailsShown, { shown: '1–100 of 1 000' });
    const tableMs = (await page.evaluate(() => /** @type {any} */ (window).__table)) - first.start;
    const pages = [first];
    for (let i = 1; i < DIFF_PAGES; i++) {
      const next = page.getByRole('region', { name: 'Changed files', exact: true }).getByRole('button', { name: 'Next page', exact: true });
      pages.push(await timeStep(page, () => next.click(), thumbnailsShown, { shown: `${i * 100 + 1}–${(i + 1) * 100 === 1000 ? '1 000' : (i + 1) * 100} of 1 000` }));
    }
    return {
      tableMs,
      firstPageMs: first.ms,
      allPagesMs: pages.reduce((sum, p) => sum + p.ms, 0),
      longestTaskMs: Math.max(...pages.map((p) => p.longestTaskMs)),
      chromium: app.version,
    };
  } finally {
    await app.close();
  }
}
