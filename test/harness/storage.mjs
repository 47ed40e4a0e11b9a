// The browser's storage as tests and benchmarks drive it: the origin's quota set through the
// DevTools Protocol (Storage.overrideQuotaForOrigin), the store's pack folder in OPFS, and the
// Storage region's Clean up. Shared by test/browser and bench/.

/**
 * Leaves the page's origin `headroom` bytes of storage beyond what it uses now, as a full disk or
 * a small profile would: the quota manager's own usage (Storage.getUsageAndQuota) plus headroom,
 * set with Storage.overrideQuotaForOrigin for as long as the page's DevTools session lasts (it
 * is not detached). Chromium enforces it on IndexedDB and OPFS writes; navigator.storage.estimate()
 * goes on reporting the unchanged quota.
 * @param {import('playwright-core').Page} page
 * @param {number} headroom
 * @returns {Promise<{ usage: number, quota: number, overrideActive: boolean }>}
 */
export async function quotaAbove(page, headroom) {
  // The service worker's cache of the app counts too: it is filled before the quota is set.
  await page.evaluate(async () => {
    await navigator.serviceWorker?.ready;
  });
  const origin = new URL(page.url()).origin;
  const cdp = await page.context().newCDPSession(page);
  const { usage } = /** @type {{ usage: number }} */ (await cdp.send('Storage.getUsageAndQuota', { origin }));
  await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + headroom });
  const { quota, overrideActive } = /** @type {{ quota: number, overrideActive: boolean }} */ (await cdp.send('Storage.getUsageAndQuota', { origin }));
  return { usage, quota, overrideActive };
}

/**
 * Bytes of every file in the store's pack folder (OPFS), read by the page itself.
 * @param {import('playwright-core').Page} page
 * @returns {Promise<number>}
 */
export function packFolderBytes(page) {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    let folder;
    try {
      folder = await root.getDirectoryHandle('pawprint.packs');
    } catch {
      return 0;
    }
    let total = 0;
    for await (const handle of /** @type {any} */ (folder).values()) {
      if (handle.kind === 'file') total += (await handle.getFile()).size;
    }
    return total;
  });
}

/**
 * Presses Clean up in the Storage region (ticking the caches choice when asked) and returns the
 * "Clean up result" once the button is enabled again.
 * @param {import('playwright-core').Page} page
 * @param {{ dropCaches?: boolean, timeout?: number }} [options]
 * @returns {Promise<string>}
 */
export async function pressCleanUp(page, options = {}) {
  const timeout = options.timeout ?? 300_000;
  const region = page.getByRole('region', { name: 'Storage', exact: true });
  const caches = region.getByRole('checkbox', { name: /^Also drop cached decoded images and features/ });
  if (options.dropCaches) await caches.check();
  else await caches.uncheck();
  const button = region.getByRole('button', { name: 'Clean up', exact: true });
  await button.click();
  const result = region.getByRole('status', { name: 'Clean up result', exact: true });
  await result.waitFor({ timeout });
  const deadline = Date.now() + timeout;
  while (!(await button.isEnabled())) {
    if (Date.now() > deadline) throw new Error('Clean up did not finish');
    await page.waitForTimeout(100);
  }
  return (await result.innerText()).trim();
}
