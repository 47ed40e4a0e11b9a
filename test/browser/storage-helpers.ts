// Helpers for the storage browser tests (this file holds no tests): the quota override, the pack
// folder and Clean up of test/harness/storage.mjs with the tests' budget and checks, and the
// Storage region read by role and accessible name.
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { packFolderBytes, pressCleanUp, quotaAbove as setQuota } from '../harness/storage.mjs';
import { HANG } from './fixtures';

/** Leaves the origin `headroom` bytes beyond its usage (test/harness/storage.mjs); fails the test unless the override took. Returns the usage. */
export async function quotaAbove(page: Page, headroom: number): Promise<number> {
  const { usage, quota, overrideActive } = await setQuota(page, headroom);
  expect({ quota, overrideActive }, 'the quota override').toEqual({ quota: usage + headroom, overrideActive: true });
  return usage;
}

export { packFolderBytes };

function storage(page: Page) {
  return page.getByRole('region', { name: 'Storage', exact: true });
}

/** The "Unused data" line the page shows when it finds what nothing reaches (null when none). */
export async function unusedData(page: Page): Promise<string | null> {
  const line = storage(page).getByRole('status', { name: 'Unused data', exact: true });
  return (await line.count()) ? (await line.innerText()).trim() : null;
}

/** Presses Clean up (ticking the caches choice when asked) and returns the "Clean up result". */
export function cleanUp(page: Page, options: { dropCaches?: boolean } = {}): Promise<string> {
  return pressCleanUp(page, { ...options, timeout: HANG });
}

/** "7.4 MB" at the start of a finding or result: the figure both name. */
export function bytesNamed(text: string): string | null {
  return /(\d[\d.,]* (?:bytes|B|kB|KB|MB|GB))/.exec(text)?.[1] ?? null;
}
