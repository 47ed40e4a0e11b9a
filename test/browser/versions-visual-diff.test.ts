// The visual diff in Compare, through the page: between two committed versions, thumbnails of
// the added, removed, relabelled (same bytes, other class) and modified files, grouped by
// split and class, 100 a page, with a filter per kind of change; every thumbnail shown is a
// decoded image.
import type { Locator, Page } from 'playwright-core';
import { unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { browsers, expectNoAlerts, openGrid, png, settle, zip } from './fixtures';
import { FASHION, importZip, subsetZip } from './training-helpers';
import { commitOk, comparison, tickCompare } from './versions-helpers';

const session = browsers({ perTest: true });

const changed = (page: Page) => comparison(page).getByRole('region', { name: 'Changed files', exact: true });
const shown = (page: Page) => changed(page).getByRole('status', { name: 'Changed files shown', exact: true });
const kind = (page: Page, name: RegExp) => changed(page).getByRole('checkbox', { name });

/** Waits until every thumbnail in `where` has decoded; returns how many there are. */
async function decodedThumbnails(where: Locator): Promise<number> {
  await expect
    .poll(() => where.locator('img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)), { timeout: 30_000 })
    .toBe(true);
  return where.locator('img').count();
}

describe('visual diff', () => {
  test('added, removed, relabelled and modified files as thumbnails, by split and class, paged and filtered', { timeout: 180_000 }, async () => {
    const { page } = await session.open();
    const base = subsetZip(FASHION(), { train: 5, validation: 2 });
    await importZip(page, { name: 'fashion-small.zip', bytes: base });
    await commitOk(page, 'v1', 'v1');

    // 120 new sandals, one sneaker with new bytes at its old path.
    const paths = Object.keys(unzipSync(base)).map((path) => path.replace(/^data\//, '')).sort();
    const sneaker = paths.find((path) => path.startsWith('train/sneaker/'))!;
    const added = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`data/train/sandal/new-${String(i).padStart(3, '0')}.png`, png(1000 + i, 28, 28)]));
    await importZip(page, { name: 'more.zip', bytes: zip({ ...added, [`data/${sneaker}`]: png(7, 28, 28) }) });
    // Two sandals removed, three relabelled to sneaker.
    const sandals = paths.filter((path) => path.startsWith('train/sandal/'));
    await select(page, sandals.slice(0, 2));
    await page.getByRole('button', { name: 'Remove from data set', exact: true }).click();
    await settle(page);
    await select(page, sandals.slice(2, 5));
    await page.getByRole('button', { name: 'Move to class…', exact: true }).click();
    await page.getByRole('combobox', { name: 'Class to move to', exact: true }).fill('sneaker');
    await page.getByRole('button', { name: 'Move', exact: true }).click();
    await settle(page);
    await commitOk(page, 'v2', 'v2');

    await tickCompare(page, 'v1');
    await tickCompare(page, 'v2');
    await changed(page).waitFor();
    for (const [name, count] of [['Added', 120], ['Removed', 2], ['Relabelled', 3], ['Modified', 1]] as const) {
      expect(await kind(page, new RegExp(`^${name} \\(${count}\\)$`)).isChecked(), `${name} (${count}) ticked`).toBe(true);
    }
    await expect.poll(() => shown(page).innerText()).toBe('1–100 of 126');
    // Grouped by split and class: train/sandal (added, removed) before train/sneaker (relabelled, modified).
    const groups = await changed(page).getByRole('list').evaluateAll((lists) => lists.map((l) => l.getAttribute('aria-label')));
    expect(groups).toEqual(['Changed in train / sandal']);
    expect(await decodedThumbnails(changed(page))).toBe(100);

    await changed(page).getByRole('button', { name: 'Next page', exact: true }).click();
    await expect.poll(() => shown(page).innerText()).toBe('101–126 of 126');
    expect(await changed(page).getByRole('list').evaluateAll((lists) => lists.map((l) => l.getAttribute('aria-label')))).toEqual([
      'Changed in train / sandal',
      'Changed in train / sneaker',
    ]);
    const sneakers = changed(page).getByRole('list', { name: 'Changed in train / sneaker', exact: true }).getByRole('listitem');
    expect(await sneakers.evaluateAll((items) => items.map((item) => item.getAttribute('aria-label')))).toEqual([
      ...sandals.slice(2, 5).map((path) => `Relabelled: ${path} → ${path.replace('train/sandal/', 'train/sneaker/')}`),
      `Modified: ${sneaker}`,
    ]);
    // A modified file shows both images: before and after.
    expect(await decodedThumbnails(changed(page))).toBe(26 + 1);

    // Filter: relabelled only.
    for (const name of ['Added', 'Removed', 'Modified']) await kind(page, new RegExp(`^${name} \\(`)).uncheck();
    await expect.poll(() => shown(page).innerText()).toBe('1–3 of 3');
    expect(await changed(page).getByRole('listitem').count()).toBe(3);
    await kind(page, /^Relabelled \(/).uncheck();
    await expect.poll(() => changed(page).innerText()).toMatch(/No changed files of the kinds shown\./);
    await expectNoAlerts(page, 'at the end');
  });
});

/** Selects files of one class in its grid (scrolled into view as a person would). */
async function select(page: Page, paths: string[]): Promise<void> {
  const grid = await openGrid(page, paths[0]!.split('/')[1]!);
  for (const path of paths) {
    const box = grid.getByRole('checkbox', { name: `Select ${path}`, exact: true });
    while ((await box.count()) === 0) await grid.evaluate((el) => el.scrollBy(0, 200));
    await box.click();
  }
}
