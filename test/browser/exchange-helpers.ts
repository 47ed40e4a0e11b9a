// Helpers for the exchange browser tests (this file holds no tests): downloads collected by
// file name, and "Classify an image" read the way a person reads it.
import { readFileSync } from 'node:fs';
import type { Download, Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { HANG } from './fixtures';

async function bytesOf(download: Download): Promise<Uint8Array> {
  return new Uint8Array(readFileSync((await download.path())!));
}

/** Clicks a button and collects the `count` downloads it starts, by file name. */
export async function downloadsOf(page: Page, button: string, count: number, scope: Locator = page.locator('body')): Promise<Map<string, Uint8Array>> {
  const downloads: Download[] = [];
  const listener = (download: Download) => downloads.push(download);
  page.on('download', listener);
  await scope.getByRole('button', { name: button, exact: true }).click();
  await expect.poll(() => downloads.length, { timeout: HANG }).toBe(count);
  page.off('download', listener);
  return new Map(await Promise.all(downloads.map(async (d) => [d.suggestedFilename(), await bytesOf(d)] as const)));
}

/** Picks an image with "Classify an image" and returns the shown probabilities, most likely first. */
export async function classify(page: Page, file: { name: string; mimeType: string; buffer: Buffer }): Promise<{ label: string; probability: number }[]> {
  const tryIt = page.getByRole('region', { name: 'Try the model', exact: true });
  const list = tryIt.getByRole('list', { name: 'Class probabilities', exact: true });
  await tryIt.getByLabel('Classify an image', { exact: true }).setInputFiles(file);
  // The result is shown with the image's preview, so this waits for this image's result.
  await tryIt.getByRole('img', { name: file.name, exact: true }).waitFor();
  return list.getByRole('listitem').evaluateAll((items) =>
    items.map((li) => ({ label: li.querySelector('span')!.textContent!.trim(), probability: (li.querySelector('meter') as HTMLMeterElement).value })),
  );
}
