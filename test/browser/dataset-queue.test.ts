// Drops while an import is busy are queued, shown, and reviewed one after another; each queued
// drop can be taken out, and Cancel on the current import leaves the queue alone.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import {
  addImages,
  addToDataset,
  browsers,
  classesTable,
  dropFiles,
  expectNoAlerts,
  png,
  pngHeader,
  press,
  randomBytes,
  review,
  reviewTable,
  settle,
  tempDir,
  zip,
} from './fixtures';

const session = browsers({ perTest: true });
const temp = tempDir('pawprint-queue-');
afterAll(() => temp.remove());

/** `count` distinct small PNGs under data/train/<label>/. */
function classZip(label: string, count: number, seed: number): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) files[`data/train/${label}/${label}-${i}.png`] = png(seed + i, 12, 12);
  return zip(files);
}

/** 3 000 files of ~20 KB: storing them takes seconds, time enough to press Cancel. */
function bigZip(): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < 3000; i++) files[`data/train/${i % 2 ? 'big-cats' : 'big-dogs'}/${i}.png`] = pngHeader(64, 64, randomBytes(20_000, 0x9000 + i));
  return zip(files);
}

function queueRegion(page: Page) {
  return page.getByRole('region', { name: 'Import queue', exact: true });
}

/** The "Queued: …" line and the names listed, or null when no queue is shown. */
async function queueShown(page: Page): Promise<{ line: string; items: string[] } | null> {
  const region = queueRegion(page);
  if ((await region.count()) === 0) return null;
  const line = (await region.locator('p').innerText()).trim();
  const items = (await region.getByRole('listitem').allInnerTexts()).map((text) => text.replace(/\s*Remove$/, '').trim());
  return { line, items };
}

describe('dataset: drops while an import is busy', () => {
  test('a drop and a pick during a review wait in a queue; one is removed; the rest are reviewed in turn', async () => {
    const { page } = await session.open();
    const first = temp.write('first.zip', classZip('sandal', 12, 0x100));
    await addImages(page, first);
    expect(await reviewTable(page)).toEqual({ sandal: { train: 12 } });

    // While "first.zip" is under review: a real drop, then a pick.
    await dropFiles(page, [{ name: 'second.zip', bytes: classZip('sneaker', 12, 0x200), type: 'application/zip' }]);
    await addImages(page, temp.write('third.zip', classZip('boot', 12, 0x300)));
    await expect.poll(() => queueShown(page)).toEqual({ line: 'Queued: second.zip (1 more). Each is reviewed after the one before it.', items: ['second.zip', 'third.zip'] });
    expect(await reviewTable(page), 'the review still shows the first drop').toEqual({ sandal: { train: 12 } });

    await press(queueRegion(page).getByRole('button', { name: 'Remove third.zip from the queue', exact: true }), 'remove third.zip');
    await expect.poll(() => queueShown(page)).toEqual({ line: 'Queued: second.zip. Each is reviewed after the one before it.', items: ['second.zip'] });

    expect(await addToDataset(page)).toBe('12 new files, 0 files already stored.');
    // The first import is done: the queued drop comes up for review by itself.
    await expect.poll(() => reviewTable(page)).toEqual({ sneaker: { train: 12 } });
    expect(await queueShown(page)).toBeNull();
    expect(await addToDataset(page)).toBe('12 new files, 0 files already stored.');
    expect((await classesTable(page))?.rows).toEqual({ sandal: { train: 12, Total: 12 }, sneaker: { train: 12, Total: 12 } });
    await expectNoAlerts(page, 'after both imports');
  });

  test('Cancel while storing cancels that import only: the queued drop is reviewed next', async () => {
    const { page } = await session.open();
    await addImages(page, temp.write('big.zip', bigZip()));
    await review(page).waitFor();
    await addImages(page, temp.write('after.zip', classZip('after', 12, 0x400)));
    await expect.poll(() => queueShown(page)).toMatchObject({ items: ['after.zip'] });

    await press(review(page).getByRole('button', { name: 'Add to data set', exact: true }), '"Add to data set"');
    const storing = page.getByRole('progressbar', { name: 'Storing files' });
    await storing.waitFor();
    await press(page.locator('div', { has: storing }).last().getByRole('button', { name: 'Cancel', exact: true }), 'progress "Cancel"');

    await expect.poll(() => page.getByRole('status', { name: 'Import result' }).innerText()).toBe('Cancelled: nothing was added to the data set.');
    await expect.poll(() => reviewTable(page)).toEqual({ after: { train: 12 } });
    expect(await queueShown(page)).toBeNull();
    expect(await addToDataset(page)).toBe('12 new files, 0 files already stored.');
    await settle(page);
    expect((await classesTable(page))?.rows, 'only the queued drop was added').toEqual({ after: { train: 12, Total: 12 } });
  });
});
