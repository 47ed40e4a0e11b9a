// Helpers for the versions browser tests (this file holds no tests): the Versions region driven
// by role and accessible name (commit form, timeline, checkout, compare, storage), a second tab
// on the same profile, the store read and damaged directly through IndexedDB, and the
// tutorial-sized JPEG zip (scripts/make-datasets.mjs --only tutorial, built when missing).
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Dialog, Locator, Page } from 'playwright-core';
import { expect, inject } from 'vitest';
import { makeDatasets } from '../harness/datasets.mjs';
import { appUrl, waitForPawprint } from './app';
import { HANG, settle } from './fixtures';

// ---------------------------------------------------------------- fixtures

/** tutorial/data.zip (2 800 JPEGs, ~67 MB), built by scripts/make-datasets.mjs when missing. */
export async function tutorialZip(): Promise<string> {
  const root = inject('pawprintDatasets');
  if (!root) throw new Error('No datasets folder: was test/browser/global-setup.ts run?');
  const path = join(root, 'tutorial', 'data.zip');
  if (existsSync(path)) return path;
  await makeDatasets(['tutorial'], { dir: root, folders: false });
  if (!existsSync(path)) throw new Error(`make-datasets --only tutorial did not write ${path}`);
  return path;
}

// ---------------------------------------------------------------- the Versions region

export function workspaceStatus(page: Page): Locator {
  return page.getByRole('status', { name: 'Workspace status', exact: true });
}

export async function statusText(page: Page): Promise<string> {
  const status = workspaceStatus(page);
  if ((await status.count()) === 0) return '';
  return (await status.innerText()).replace(/\s+/g, ' ').trim();
}

export function versionsResult(page: Page): Locator {
  return page.getByRole('status', { name: 'Versions result', exact: true });
}

export function versionsList(page: Page): Locator {
  return page.getByRole('list', { name: 'Versions', exact: true });
}

export function commitButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Commit', exact: true });
}

/** The page's alerts, joined; '' when none. */
export async function alertText(page: Page): Promise<string> {
  return (await page.getByRole('alert').allInnerTexts()).map((t) => t.trim()).join(' | ');
}

/**
 * Waits for the outcome of a versions action: the "Versions result" status or an alert, then
 * for the Versions region to be idle again (Commit enabled). Returns what the page said.
 */
export async function outcome(page: Page, timeout = HANG): Promise<{ result: string | null; alert: string | null }> {
  const result = versionsResult(page);
  const alert = page.getByRole('alert').first();
  await Promise.race([result.waitFor({ timeout }), alert.waitFor({ timeout })]);
  await expect.poll(() => commitButton(page).isEnabled(), { timeout }).toBe(true);
  await quiet(page);
  return {
    result: (await result.count()) ? (await result.innerText()).trim() : null,
    alert: (await page.getByRole('alert').count()) ? await alertText(page) : null,
  };
}

/**
 * After an action the page re-reads the timeline, the workspace status and the data set, in
 * parallel and after the result is shown: waits until the Versions and Dataset regions read the
 * same three times in a row, 100 ms apart.
 */
export async function quiet(page: Page, timeout = HANG): Promise<void> {
  const snapshot = () =>
    page.evaluate(() => {
      const sections = Array.from(document.querySelectorAll('main > section')) as HTMLElement[];
      return sections.map((section) => section.innerText).join('\n');
    });
  let last = '';
  let same = 0;
  const deadline = Date.now() + timeout;
  while (same < 2 && Date.now() < deadline) {
    await page.waitForTimeout(100);
    const now = await snapshot();
    same = now === last ? same + 1 : 0;
    last = now;
  }
}

/** Fills "Message" (and "Tag"), presses Commit and returns what the page said. */
export async function commit(page: Page, message: string, tag = ''): Promise<{ result: string | null; alert: string | null }> {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(message);
  await page.getByRole('textbox', { name: 'Tag', exact: true }).fill(tag);
  await commitButton(page).click();
  return outcome(page);
}

/** Commits and fails the test unless the page reports the commit. */
export async function commitOk(page: Page, message: string, tag = ''): Promise<string> {
  const said = await commit(page, message, tag);
  expect(said.alert, `alert after committing "${message}"`).toBeNull();
  expect(said.result, `"Versions result" after committing "${message}"`).not.toBeNull();
  return said.result!;
}

export interface TimelineEntry {
  message: string;
  tags: string[];
  head: boolean;
  stash: boolean;
  /** The item's details line: date · counts · val_accuracy or "data only" · storage. */
  meta: string;
}

/** The "Versions" list as a person reads it, newest first. */
export async function timeline(page: Page): Promise<TimelineEntry[]> {
  const list = versionsList(page);
  await list.waitFor();
  return list.evaluate((ul) =>
    Array.from(ul.children)
      .filter((li) => li.querySelector('button') !== null)
      .map((li) => {
        const buttons = Array.from(li.querySelectorAll('button'));
        const tags = buttons.map((b) => /^Remove tag (.+)$/.exec(b.getAttribute('aria-label') ?? '')?.[1]).filter((t): t is string => !!t);
        const title = (li.firstElementChild as HTMLElement | null)?.innerText ?? '';
        const meta = (li.children[1] as HTMLElement | undefined)?.innerText ?? '';
        return {
          message: (li.querySelector('strong')?.textContent ?? '').trim(),
          tags,
          head: li.getAttribute('aria-current') === 'true' || /\bHEAD\b/.test(title),
          stash: /\bstash\b/.test(title),
          meta: meta.replace(/\s+/g, ' ').trim(),
        };
      }),
  );
}

/** The timeline item of a version: by one of its tags (exact) or, failing that, its message. */
export function versionItem(page: Page, tagOrMessage: string): Locator {
  const exact = new RegExp(`^${tagOrMessage.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);
  return versionsList(page)
    .getByRole('listitem')
    .filter({ has: page.getByRole('button', { name: `Remove tag ${tagOrMessage}`, exact: true }).or(page.locator('strong', { hasText: exact })) });
}

export function itemButton(item: Locator, name: string): Locator {
  return item.getByRole('button', { name, exact: true });
}

/** Presses "Check out" (or "Check out data only") on a version and returns what the page said. */
export async function checkout(page: Page, tagOrMessage: string, dataOnly = false) {
  await itemButton(versionItem(page, tagOrMessage), dataOnly ? 'Check out data only' : 'Check out').click();
  return outcome(page);
}

/** Ticks (or unticks) the "Compare" checkbox of a version. */
export async function tickCompare(page: Page, tagOrMessage: string): Promise<void> {
  await versionItem(page, tagOrMessage).getByRole('checkbox', { name: 'Compare', exact: true }).click();
}

export function comparison(page: Page): Locator {
  return page.getByRole('region', { name: 'Comparison', exact: true });
}

/** A table of the Comparison region as header → cell text rows (plus its caption). */
export async function readTable(table: Locator): Promise<{ caption: string; columns: string[]; rows: string[][] }> {
  await table.waitFor();
  return table.evaluate((el) => {
    const t = el as HTMLTableElement;
    return {
      caption: (t.caption?.textContent ?? '').replace(/\s+/g, ' ').trim(),
      columns: Array.from(t.tHead?.rows[0]?.cells ?? []).map((c) => (c.textContent ?? '').trim()),
      rows: Array.from(t.tBodies[0]?.rows ?? []).map((row) => Array.from(row.cells).map((c) => (c.textContent ?? '').trim())),
    };
  });
}

/** Accepts the next confirm() dialog (and returns its text). */
export function acceptNextDialog(page: Page): Promise<string> {
  return new Promise((resolve) => {
    page.once('dialog', (dialog: Dialog) => {
      const text = dialog.message();
      void dialog.accept().then(() => resolve(text));
    });
  });
}

/** Dismisses the next confirm() dialog (and returns its text). */
export function dismissNextDialog(page: Page): Promise<string> {
  return new Promise((resolve) => {
    page.once('dialog', (dialog: Dialog) => {
      const text = dialog.message();
      void dialog.dismiss().then(() => resolve(text));
    });
  });
}

/** Presses "Verify store" and returns the "Verify result" (status or alert) text and kind. */
export async function verifyStore(page: Page, timeout = HANG): Promise<{ ok: boolean; text: string }> {
  const storage = page.getByRole('region', { name: 'Storage', exact: true });
  const button = storage.getByRole('button', { name: 'Verify store', exact: true });
  await button.click();
  // The click clears the last result and disables the button until this check ends.
  await expect.poll(() => button.isEnabled(), { timeout }).toBe(true);
  const status = storage.getByRole('status', { name: 'Verify result', exact: true });
  const alert = storage.getByRole('alert', { name: 'Verify result', exact: true });
  await Promise.race([status.waitFor({ timeout }), alert.waitFor({ timeout })]);
  if (await status.count()) return { ok: true, text: (await status.innerText()).replace(/\s+/g, ' ').trim() };
  return { ok: false, text: (await alert.innerText()).replace(/\s+/g, ' ').trim() };
}

/** Reloads and waits for the app, the timeline and the end of the image check. */
export async function reloadApp(page: Page): Promise<void> {
  await page.reload({ waitUntil: 'load' });
  await waitForPawprint(page);
  await versionsList(page).waitFor();
  await settle(page);
}

// ---------------------------------------------------------------- training

/**
 * Presses a control that starts training (Train, "Train anyway") and waits until the run is
 * stored (the ref workspace-run moved), no training progress bar is shown and the "Evaluation"
 * region is. A small set trains in well under a second, so the progress bar is not waited for.
 * A run left showing a phase (e.g. "Saving the model…") after it was stored fails with what
 * the page shows, rather than with a bare timeout. Returns the new run's id.
 */
export async function trainAndWait(page: Page, start: () => Promise<void>, timeout = HANG): Promise<string> {
  const before = (await idbGet<{ target: string }>(page, 'refs', 'workspace-run'))?.target ?? null;
  await start();
  const bar = page.getByRole('progressbar', { name: 'Training progress', exact: true });
  const evaluation = page.getByRole('region', { name: 'Evaluation', exact: true });
  let run: string | null = before;
  const deadline = Date.now() + timeout;
  for (;;) {
    const alerts = await alertText(page);
    if (alerts) throw new Error(`training failed: ${alerts}`);
    run = (await idbGet<{ target: string }>(page, 'refs', 'workspace-run'))?.target ?? null;
    if (run !== before && (await bar.count()) === 0 && (await evaluation.count()) > 0) return run!;
    if (Date.now() > deadline) break;
    await page.waitForTimeout(100);
  }
  const shown = (await page.locator('[aria-live="polite"]').allInnerTexts()).map((t) => t.trim()).filter(Boolean);
  throw new Error(
    run === before
      ? `no new run stored ${timeout / 1000} s after starting training; the page shows ${JSON.stringify(shown)}`
      : `the run was stored (workspace-run = ${run!.slice(0, 12)}) but ${timeout / 1000} s later the page still shows ${JSON.stringify(shown)}, ` +
          'with Train disabled and no Evaluation (see the "Train anyway ten times" test)',
  );
}

// ---------------------------------------------------------------- a second tab, same profile

export interface Tab {
  page: Page;
  pageErrors: string[];
  consoleErrors: string[];
}

/** Opens another tab of the app in the same browser context (same profile, same IndexedDB). */
export async function openTab(context: BrowserContext): Promise<Tab> {
  const page = await context.newPage();
  page.setDefaultTimeout(HANG);
  const tab: Tab = { page, pageErrors: [], consoleErrors: [] };
  page.on('pageerror', (error) => tab.pageErrors.push(error.stack ?? String(error)));
  page.on('console', (message) => {
    if (message.type() === 'error') tab.consoleErrors.push(message.text());
  });
  await page.goto(`${appUrl()}/`, { waitUntil: 'load' });
  await waitForPawprint(page);
  return tab;
}

// ---------------------------------------------------------------- the store, directly

/** Reads a record of the app's IndexedDB ("pawprint") in the page. */
export function idbGet<T>(page: Page, store: string, key: string): Promise<T | undefined> {
  return page.evaluate(
    async ({ store, key }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('pawprint');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      try {
        return await new Promise<unknown>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).get(key);
          request.onsuccess = () => resolve(request.result);
          request.onerror = () => reject(request.error);
        });
      } finally {
        db.close();
      }
    },
    { store, key },
  ) as Promise<T | undefined>;
}

/**
 * Overwrites the stored bytes of blob `sha256` with `bytes`, or with the original bytes with
 * their first byte flipped when `bytes` is omitted: in its pack file (OPFS folder
 * "pawprint.packs") when its record (in a group of "blobGroups", or in "blobs") names one, else in objectStore "blobData" (same key).
 * Returns the bytes that were there, to put them back.
 */
export function corruptBlob(page: Page, sha256: string, bytes?: number[]): Promise<number[]> {
  return page.evaluate(
    async ({ sha256, bytes }) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('pawprint');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const get = <T>(store: string) =>
        new Promise<T | undefined>((resolve, reject) => {
          const request = db.transaction(store, 'readonly').objectStore(store).get(sha256);
          request.onsuccess = () => resolve(request.result as T | undefined);
          request.onerror = () => reject(request.error);
        });
      const flipped = (original: Uint8Array) => {
        const next = bytes ? new Uint8Array(bytes) : original.slice();
        if (!bytes) next[0] = next[0]! ^ 0xff;
        return next;
      };
      try {
        type Record = { sha256: string; size: number; pack?: { file: string; offset: number } };
        // Schema 3: a pack-written blob's record is in a group of "blobGroups" (index "sha256").
        const group = await new Promise<{ records: Record[] } | undefined>((resolve, reject) => {
          const request = db.transaction('blobGroups', 'readonly').objectStore('blobGroups').index('sha256').get(sha256);
          request.onsuccess = () => resolve(request.result as { records: Record[] } | undefined);
          request.onerror = () => reject(request.error);
        });
        const record = group?.records.find((r) => r.sha256 === sha256) ?? (await get<Record>('blobs'));
        if (record?.pack) {
          const { file, offset } = record.pack;
          const handle = await (await (await navigator.storage.getDirectory()).getDirectoryHandle('pawprint.packs')).getFileHandle(file);
          const original = new Uint8Array(await (await handle.getFile()).slice(offset, offset + record.size).arrayBuffer());
          const writable = await handle.createWritable({ keepExistingData: true });
          await writable.write({ type: 'write', position: offset, data: flipped(original) });
          await writable.close();
          return Array.from(original);
        }
        const old = await get<ArrayBuffer | ArrayBufferView | Blob>('blobData');
        if (old === undefined) throw new Error(`no blobData under ${sha256}`);
        const original =
          old instanceof Blob ? new Uint8Array(await old.arrayBuffer()) : old instanceof ArrayBuffer ? new Uint8Array(old) : new Uint8Array(old.buffer, old.byteOffset, old.byteLength);
        const write = db.transaction('blobData', 'readwrite');
        write.objectStore('blobData').put(flipped(original).buffer, sha256);
        await new Promise<void>((resolve, reject) => {
          write.oncomplete = () => resolve();
          write.onerror = () => reject(write.error);
        });
        return Array.from(original);
      } finally {
        db.close();
      }
    },
    { sha256, bytes },
  );
}

/** Every ref of the store: name → target. */
export function refs(page: Page): Promise<Record<string, string>> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('pawprint');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    try {
      const all = await new Promise<{ name: string; target: string }[]>((resolve, reject) => {
        const request = db.transaction('refs', 'readonly').objectStore('refs').getAll();
        request.onsuccess = () => resolve(request.result as { name: string; target: string }[]);
        request.onerror = () => reject(request.error);
      });
      return Object.fromEntries(all.map((ref) => [ref.name, ref.target]));
    } finally {
      db.close();
    }
  });
}
