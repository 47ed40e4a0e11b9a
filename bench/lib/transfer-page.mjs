// bench:transfer's page side: one data set trained with "Pretrained features" or the convnet
// in a fresh profile, driven like a person (role and accessible name), with what the page said
// while it computed features, and the exported project's features and train stages run with Debian's PyTorch.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { setInputs, storedRun } from './train-page.mjs';

const PYTHON = '/usr/bin/python3';
const EXTRACT = /Computing features… ([\d\s\u00a0\u202f,]+) \/ ([\d\s\u00a0\u202f,]+) images · ([\d\s\u00a0\u202f,.]+) images\/s/;
const digits = (/** @type {string} */ text) => Number(text.replace(/[^\d.]/g, ''));

/** @param {import('playwright-core').Page} page @param {'Convnet from scratch' | 'Pretrained features'} label */
export async function chooseModel(page, label) {
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label });
  if (label === 'Pretrained features') await page.getByLabel('Backbone in use', { exact: true }).waitFor({ timeout: 120_000 });
}

/** @param {import('playwright-core').Page} page @param {string} layer */
export async function chooseLayer(page, layer) {
  await page.getByRole('combobox', { name: 'Feature layer', exact: true }).selectOption(layer);
}

/**
 * Presses Train and waits for the stored result, sampling the progress line every 200 ms.
 * `stopAfterMs`: press Stop once that much time has passed, then "Keep finished epochs"
 * (the convnet at the same wall-clock budget as the pretrained run).
 * @param {import('playwright-core').Page} page
 * @param {{ timeoutMs?: number, stopAfterMs?: number }} [options]
 */
export async function trainSampled(page, options = {}) {
  const { timeoutMs = 1_800_000, stopAfterMs } = options;
  const live = page.getByRole('progressbar', { name: 'Training progress', exact: true });
  const evaluation = page.getByRole('region', { name: 'Evaluation', exact: true });
  const alert = page.getByRole('alert').first();
  const before = (await storedRun(page))?.runId ?? null;
  const started = Date.now();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  /** @type {{ done: number, total: number, rate: number } | null} */
  let extraction = null;
  let stopped = false;
  for (;;) {
    if (await alert.isVisible().catch(() => false)) throw new Error(`training failed: ${(await page.getByRole('alert').allInnerTexts()).join(' | ')}`);
    // The bar goes away when the run ends, maybe between count() and evaluate(): do not wait for it.
    const text = (await live.count()) ? await live.evaluate((el) => el.closest('div')?.querySelector('[aria-live]')?.textContent ?? '', undefined, { timeout: 1000 }).catch(() => '') : '';
    const match = EXTRACT.exec(text.replace(/\s+/g, ' '));
    if (match) extraction = { done: digits(match[1]), total: digits(match[2]), rate: digits(match[3]) };
    if (stopAfterMs !== undefined && !stopped && Date.now() - started >= stopAfterMs) {
      stopped = true;
      await page.getByRole('button', { name: 'Stop', exact: true }).click();
      const keep = page.getByRole('button', { name: 'Keep finished epochs', exact: true });
      const nothing = page.getByText('Stopped before the first epoch finished');
      await Promise.race([keep.waitFor({ timeout: 600_000 }), nothing.waitFor({ timeout: 600_000 })]);
      if (await nothing.isVisible()) return { wallMs: Date.now() - started, extraction, run: null };
      await keep.click();
    }
    const run = await storedRun(page);
    if (run && run.runId !== before && (await evaluation.count()) > 0 && (await live.count()) === 0) return { wallMs: Date.now() - started, extraction, run };
    if (Date.now() - started > timeoutMs) throw new Error(`no result within ${timeoutMs / 1000} s`);
    await page.waitForTimeout(200);
  }
}

/** Bytes and rows of the feature cache, read from IndexedDB ("derived", keys features/…). @param {import('playwright-core').Page} page */
export function featureCacheSize(page) {
  return page.evaluate(async () => {
    const db = /** @type {IDBDatabase} */ (
      await new Promise((resolve, reject) => {
        const request = indexedDB.open('pawprint');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      })
    );
    try {
      const values = /** @type {Float32Array[]} */ (
        await new Promise((resolve, reject) => {
          const request = db.transaction('derived', 'readonly').objectStore('derived').getAll(IDBKeyRange.bound('features/', 'features/\uffff'));
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        })
      );
      return { rows: values.length, bytes: values.reduce((sum, row) => sum + row.byteLength, 0) };
    } finally {
      db.close();
    }
  });
}

/**
 * Commits the last run as `tag`, downloads it as a DVC project and runs its features and train stages
 * (features.py, train.py) with Debian's python3: PyTorch's val accuracy and train.py's time.
 * @param {import('playwright-core').Page} page @param {string} tag
 */
export async function exportedHead(page, tag) {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(`Pretrained features ${tag}`);
  await page.getByRole('textbox', { name: 'Tag', exact: true }).fill(tag);
  await page.getByRole('button', { name: 'Commit', exact: true }).click();
  const item = page.getByRole('list', { name: 'Versions' }).getByRole('listitem').filter({ hasText: tag });
  await item.waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 600_000 }),
    item.getByRole('button', { name: 'Download as DVC project', exact: true }).click(),
  ]);
  const folder = mkdtempSync(join(tmpdir(), 'pawprint-bench-transfer-'));
  try {
    const project = unzipSync(new Uint8Array(readFileSync(/** @type {string} */ (await download.path()))));
    for (const [path, bytes] of Object.entries(project)) {
      if (path.endsWith('/')) continue;
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), bytes);
    }
    execFileSync(PYTHON, ['features.py'], { cwd: folder, stdio: 'pipe' });
    const started = performance.now();
    execFileSync(PYTHON, ['train.py'], { cwd: folder, stdio: 'pipe' });
    const trainMs = performance.now() - started;
    const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8'));
    return { valAccuracy: /** @type {number} */ (metrics.val_accuracy), trainMs };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

export { setInputs };
