// Helpers for the "Download app" browser tests (this file holds no tests): the app's zip
// unpacked into a folder, and the deployed page and Pawprint's own page classifying the same
// image, as probabilities by class.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { classify } from './exchange-helpers';

export type Image = { name: string; mimeType: string; buffer: Buffer };

/** Unzips `zip` into `dir`, as a user unpacks the app before serving it; returns its files. */
export function unzipTo(dir: string, zip: Uint8Array): Record<string, Uint8Array> {
  const files = unzipSync(zip);
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), bytes);
  }
  return files;
}

/** The probabilities a "Class probabilities" list shows, by class. */
export async function probabilitiesIn(scope: Locator): Promise<Map<string, number>> {
  const items = await scope.getByRole('list', { name: 'Class probabilities', exact: true }).getByRole('listitem').evaluateAll((lis) =>
    lis.map((li) => [li.querySelector('span')!.textContent!.trim(), (li.querySelector('meter') as HTMLMeterElement).value] as const),
  );
  return new Map(items);
}

/** The deployed page's line naming its model: "Model v2.0 (production) · “…” · … · runs on WebAssembly". */
export const releaseLine = (deployed: Page): Locator => deployed.getByLabel('Model version', { exact: true });

/** The deployed page's region that classifies. */
export const appClassifier = (deployed: Page): Locator => deployed.getByRole('region', { name: 'Classify', exact: true });

/** Picks `image` in the deployed page and returns what it shows, once it shows one probability per class. */
export async function classifyInApp(deployed: Page, image: Image, classes: number): Promise<Map<string, number>> {
  const tryIt = appClassifier(deployed);
  await tryIt.getByLabel('Classify an image', { exact: true }).setInputFiles(image);
  await tryIt.getByRole('img', { name: image.name, exact: true }).waitFor();
  const shown = async () => ((await tryIt.getByRole('alert').isVisible()) ? `alert: ${await tryIt.getByRole('alert').innerText()}` : await tryIt.getByRole('listitem').count());
  await expect.poll(shown, { timeout: 30_000 }).toBe(classes);
  return probabilitiesIn(tryIt);
}

/** Pawprint's own "Classify an image" of `image`, by class. */
export async function classifyInPawprint(page: Page, image: Image): Promise<Map<string, number>> {
  return new Map((await classify(page, image)).map(({ label, probability }) => [label, probability]));
}

/** The largest difference between two pages' probabilities of the same classes. */
export function largestDifference(expected: ReadonlyMap<string, number>, got: ReadonlyMap<string, number>): number {
  expect([...got.keys()].sort()).toEqual([...expected.keys()].sort());
  return Math.max(...[...expected].map(([label, probability]) => Math.abs(got.get(label)! - probability)));
}
