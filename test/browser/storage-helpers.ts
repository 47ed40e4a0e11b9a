// Helpers for the storage browser tests (this file holds no tests): the origin's quota set
// through the DevTools Protocol (Storage.overrideQuotaForOrigin), what the browser and OPFS
// hold, and the Storage region driven by role and accessible name.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { appUrl } from './app';
import { HANG } from './fixtures';

/**
 * Leaves this origin `headroom` bytes of storage beyond what it uses now, as a full disk or a
 * small profile would: the quota manager's own usage (Storage.getUsageAndQuota) plus headroom,
 * set with Storage.overrideQuotaForOrigin. Chromium enforces it on IndexedDB and OPFS writes;
 * navigator.storage.estimate() goes on reporting the unchanged quota. Returns the usage.
 */
export async function quotaAbove(page: Page, headroom: number): Promise<number> {
  // The service worker's cache of the app counts too: it is filled before the quota is set.
  await page.evaluate(async () => {
    await navigator.serviceWorker?.ready;
  });
  const origin = new URL(appUrl()).origin;
  const cdp = await page.context().newCDPSession(page);
  const { usage } = (await cdp.send('Storage.getUsageAndQuota', { origin })) as { usage: number };
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + headroom });
  const { quota, overrideActive } = (await cdp.send('Storage.getUsageAndQuota', { origin })) as { quota: number; overrideActive: boolean };
  await cdp.detach();
  expect({ quota, overrideActive }, 'the quota override').toEqual({ quota: usage + headroom, overrideActive: true });
  return usage;
}

/** Bytes of every file in the store's pack folder (OPFS), read by the page itself. */
export function packFolderBytes(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    let folder: FileSystemDirectoryHandle;
    try {
      folder = await root.getDirectoryHandle('pawprint.packs');
    } catch {
      return 0;
    }
    let total = 0;
    for await (const handle of (folder as unknown as { values(): AsyncIterable<FileSystemHandle> }).values()) {
      if (handle.kind === 'file') total += (await (handle as FileSystemFileHandle).getFile()).size;
    }
    return total;
  });
}

function storage(page: Page) {
  return page.getByRole('region', { name: 'Storage', exact: true });
}

/** The "Unused data" line the page shows when it finds what nothing reaches (null when none). */
export async function unusedData(page: Page): Promise<string | null> {
  const line = storage(page).getByRole('status', { name: 'Unused data', exact: true });
  return (await line.count()) ? (await line.innerText()).trim() : null;
}

/** Presses Clean up (ticking the caches choice when asked) and returns the "Clean up result". */
export async function cleanUp(page: Page, options: { dropCaches?: boolean } = {}): Promise<string> {
  const region = storage(page);
  const caches = region.getByRole('checkbox', { name: /^Also drop cached decoded images and features/ });
  if (options.dropCaches) await caches.check();
  else await caches.uncheck();
  await region.getByRole('button', { name: 'Clean up', exact: true }).click();
  const result = region.getByRole('status', { name: 'Clean up result', exact: true });
  await result.waitFor({ timeout: HANG });
  await expect.poll(() => region.getByRole('button', { name: 'Clean up', exact: true }).isEnabled(), { timeout: HANG }).toBe(true);
  return (await result.innerText()).trim();
}

/** "7.4 MB" at the start of a finding or result: the figure both name. */
export function bytesNamed(text: string): string | null {
  return /(\d[\d.,]* (?:bytes|B|kB|KB|MB|GB))/.exec(text)?.[1] ?? null;
}
