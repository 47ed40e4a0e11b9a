// Helpers for the pretrained-features browser tests (this file holds no tests): the Model
// choice driven by its label, and the feature cache and backbone read back from IndexedDB.
import type { Page } from 'playwright-core';

/** Picks "Convnet from scratch" or "Pretrained features" in the select labelled "Model". */
export async function chooseModel(page: Page, label: 'Convnet from scratch' | 'Pretrained features'): Promise<void> {
  await page.getByRole('combobox', { name: 'Model', exact: true }).selectOption({ label });
}

/** The sentence "Backbone in use" under the parameters (waits for the backbone to load). */
export async function backboneNote(page: Page): Promise<string> {
  return (await page.getByLabel('Backbone in use', { exact: true }).innerText({ timeout: 60_000 })).replace(/\s+/g, ' ').trim();
}

/** The live progress line while features are computed, e.g. "Computing features… 64 / 150 images · 21 images/s · about 4 s left". */
export const EXTRACT_TEXT = /Computing features… ([\d\s\u00a0\u202f,]+) \/ ([\d\s\u00a0\u202f,]+) images · ([\d\s\u00a0\u202f,.]+) images\/s · about (.+) left/;

/** Cached feature rows per feature set (the `features/<set>/<sha256>` keys of the "derived" store): set id → count. */
export function featureRows(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('pawprint');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const keys = await new Promise<IDBValidKey[]>((resolve, reject) => {
        const request = db.transaction('derived', 'readonly').objectStore('derived').getAllKeys(IDBKeyRange.bound('features/', 'features/\uffff'));
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const counts: Record<string, number> = {};
      for (const key of keys as string[]) {
        const set = key.split('/')[1]!;
        counts[set] = (counts[set] ?? 0) + 1;
      }
      return counts;
    } finally {
      db.close();
    }
  });
}

export const totalRows = (rows: Record<string, number>): number => Object.values(rows).reduce((sum, n) => sum + n, 0);
