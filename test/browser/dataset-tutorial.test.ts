// The DVC tutorial's data story through the page, in one browser profile, in order:
// data.zip (v1) → new-labels.zip (v2, the union) → the same zip again (deduplicated) →
// reload → the thumbnail grid → edits (rename, remove a file, remove a class) → reload.
// Real data: Fashion-MNIST sandal vs sneaker (scripts/make-datasets.mjs). Every DVC figure is
// checked against python3 (zipfile + hashlib + json.dumps), never against the app's own code.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import {
  HANG,
  addImages,
  addToDataset,
  browsers,
  changesLine,
  classesTable,
  dataset,
  dvcHash,
  dvcOf,
  dvcOfFiles,
  dvcFileText,
  dvcText,
  expectNoAlerts,
  openGrid,
  press,
  review,
  reviewTable,
  runtimeStatus,
  settle,
  usage,
  type DvcFile,
} from './fixtures';
import { waitForPawprint } from './app';

const session = browsers({ perTest: false });
const app = () => session.shared();

const V1 = () => dvcOf([dataset('fashion/data.zip')]);
const V2 = () => dvcOf([dataset('fashion/data.zip'), dataset('fashion/new-labels.zip')]);

async function table(page: Page) {
  return (await classesTable(page))?.rows ?? null;
}

describe('dataset: the tutorial through the page (Fashion-MNIST sandal vs sneaker)', () => {
  test('1. data.zip via "Add images": review, Classes table, DVC hash and data.dvc equal DVC\'s', async () => {
    const { page } = await app();
    const v1 = V1();
    expect(v1.out.nfiles).toBe(1800);

    await addImages(page, dataset('fashion/data.zip'));
    await review(page).waitFor();
    expect(await reviewTable(page)).toEqual({
      sandal: { train: 500, validation: 400 },
      sneaker: { train: 500, validation: 400 },
    });
    expect(await addToDataset(page)).toBe('1 800 new files, 0 files already stored.');
    await expectNoAlerts(page, 'after adding data.zip');

    const classes = await classesTable(page);
    expect(classes?.columns).toEqual(['train', 'validation']);
    expect(classes?.rows).toEqual({
      sandal: { train: 500, validation: 400, Total: 900 },
      sneaker: { train: 500, validation: 400, Total: 900 },
    });
    expect(classes?.total).toEqual({ train: 1000, validation: 800, Total: 1800 });

    expect(await dvcHash(page)).toBe(v1.out.md5);
    expect(await dvcText(page)).toBe(dvcFileText(v1.out));
    expect(await dvcText(page)).toBe(
      `outs:\n- md5: ${v1.out.md5}\n  size: ${v1.out.size}\n  nfiles: 1800\n  hash: md5\n  path: data\n`,
    );
  });

  test('2. new-labels.zip on top gives the union; the same zip again stores 0 new files', async () => {
    const { page } = await app();
    const v2 = V2();
    expect(v2.out.nfiles).toBe(2800);

    await addImages(page, dataset('fashion/new-labels.zip'));
    expect(await reviewTable(page)).toEqual({ sandal: { train: 500 }, sneaker: { train: 500 } });
    expect(await addToDataset(page)).toBe('1 000 new files, 0 files already stored.');
    expect(await table(page)).toEqual({
      sandal: { train: 1000, validation: 400, Total: 1400 },
      sneaker: { train: 1000, validation: 400, Total: 1400 },
    });
    expect((await classesTable(page))?.total).toEqual({ train: 2000, validation: 800, Total: 2800 });
    expect(await dvcHash(page)).toBe(v2.out.md5);
    expect(await dvcText(page)).toBe(dvcFileText(v2.out));
    // No version committed yet: everything in the workspace is new.
    expect(await changesLine(page)).toBe('+2 800 files, not committed yet');

    // The status line's store count matches the store, and the store holds each file once.
    await expect.poll(() => runtimeStatus(page).innerText(), { timeout: HANG }).toMatch(/Store: 2\s?800 blobs\b/);
    expect(await usage(page)).toMatchObject({ blobs: 2800, blobBytes: v2.out.size });

    // Dropping the same zip again adds nothing.
    await addImages(page, dataset('fashion/new-labels.zip'));
    await review(page).waitFor();
    expect(await addToDataset(page)).toBe('0 new files, 1 000 files already stored.');
    expect(await dvcHash(page)).toBe(v2.out.md5);
    expect((await classesTable(page))?.total).toEqual({ train: 2000, validation: 800, Total: 2800 });
    expect(await usage(page)).toMatchObject({ blobs: 2800, blobBytes: v2.out.size });
    await expect.poll(() => runtimeStatus(page).innerText(), { timeout: HANG }).toMatch(/Store: 2\s?800 blobs\b/);
    await expectNoAlerts(page, 'after re-adding new-labels.zip');
  });

  test('3. a reload shows the same Classes table and DVC hash', async () => {
    const { page } = await app();
    const v2 = V2();
    const before = await classesTable(page);
    await page.reload({ waitUntil: 'load' });
    await waitForPawprint(page);
    await page.getByRole('table', { name: 'Classes', exact: true }).waitFor();
    await settle(page);
    expect(await classesTable(page)).toEqual(before);
    expect(before?.total).toEqual({ train: 2000, validation: 800, Total: 2800 });
    expect(await dvcHash(page)).toBe(v2.out.md5);
    expect(await dvcText(page)).toBe(dvcFileText(v2.out));
  });

  test('9. the thumbnail grid shows real images and keeps only a few dozen tiles in the DOM', async () => {
    const { page } = await app();
    const sandals = V2().files.filter((f) => f.relpath.split('/')[1] === 'sandal');
    expect(sandals).toHaveLength(1400);
    const grid = await openGrid(page, 'sandal');
    await grid.scrollIntoViewIfNeeded();
    const tiles = grid.getByRole('listitem');
    await tiles.first().waitFor();
    const count = await tiles.count();
    console.info(`thumbnail grid: ${count} tiles in the DOM for ${sandals.length} images`);
    expect(count).toBeGreaterThan(0);
    expect(count, 'tiles in the DOM (virtualised)').toBeLessThanOrEqual(120);
    expect(await grid.getByRole('img').first().getAttribute('alt')).toBe(sandals[0]!.relpath);

    // Every tile visible in the grid shows a decoded image.
    await expect.poll(() => visibleImages(grid), { timeout: HANG }).toMatchObject({ broken: [] });
    const shown = await visibleImages(grid);
    expect(shown.loaded).toBeGreaterThanOrEqual(8);

    // Scroll to the end: the last image appears, the DOM stays small.
    await grid.evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    const last = sandals.at(-1)!.relpath;
    await grid.getByRole('img', { name: last, exact: true }).waitFor();
    expect(await tiles.count()).toBeLessThanOrEqual(120);
    await expect.poll(() => visibleImages(grid), { timeout: HANG }).toMatchObject({ broken: [] });
    await expect(grid.getByRole('button', { name: `Remove ${last}`, exact: true }).count()).resolves.toBe(1);
  });

  test('8. rename a class, remove an image, remove a class: table and DVC hash follow, and survive a reload', async () => {
    const { page } = await app();
    let files: DvcFile[] = V2().files;

    // Rename sandal → sandals: the folder in every relpath changes, so the DVC hash does.
    await press(page.getByRole('button', { name: 'Rename class sandal', exact: true }), '"Rename class sandal"');
    await page.getByRole('textbox', { name: 'New name for sandal', exact: true }).fill('sandals');
    await press(page.getByRole('button', { name: 'Rename', exact: true }), '"Rename"');
    await expect.poll(() => table(page)).toEqual({
      sandals: { train: 1000, validation: 400, Total: 1400 },
      sneaker: { train: 1000, validation: 400, Total: 1400 },
    });
    await settle(page);
    files = files.map((f) => ({ ...f, relpath: f.relpath.replace(/^(train|validation)\/sandal\//, '$1/sandals/') }));
    const renamed = dvcOfFiles(files);
    expect(await dvcHash(page)).toBe(renamed.md5);
    expect(await dvcText(page)).toBe(dvcFileText(renamed, 'data'));

    // Remove one image from the grid.
    const grid = await openGrid(page, 'sandals');
    const victim = files.find((f) => f.relpath.startsWith('train/sandals/'))!.relpath;
    await press(grid.getByRole('button', { name: `Remove ${victim}`, exact: true }), `"Remove ${victim}"`);
    await expect.poll(() => table(page)).toMatchObject({ sandals: { train: 999, validation: 400, Total: 1399 } });
    await settle(page);
    files = files.filter((f) => f.relpath !== victim);
    const removedOne = dvcOfFiles(files);
    expect(await dvcHash(page)).toBe(removedOne.md5);
    expect(await grid.getByRole('img', { name: victim, exact: true }).count()).toBe(0);

    // Remove the class sneaker (the page asks first: accept).
    page.once('dialog', (dialog) => void dialog.accept());
    await press(page.getByRole('button', { name: 'Remove class sneaker', exact: true }), '"Remove class sneaker"');
    await expect.poll(() => table(page)).toEqual({ sandals: { train: 999, validation: 400, Total: 1399 } });
    await settle(page);
    files = files.filter((f) => !/^(train|validation)\/sneaker\//.test(f.relpath));
    const final = dvcOfFiles(files);
    expect(final.nfiles).toBe(1399);
    expect(await dvcHash(page)).toBe(final.md5);
    expect(await dvcText(page)).toBe(dvcFileText(final, 'data'));
    await expectNoAlerts(page, 'after the edits');

    // All three edits survive a reload.
    await page.reload({ waitUntil: 'load' });
    await waitForPawprint(page);
    await page.getByRole('table', { name: 'Classes', exact: true }).waitFor();
    await settle(page);
    expect(await table(page)).toEqual({ sandals: { train: 999, validation: 400, Total: 1399 } });
    expect(await dvcHash(page)).toBe(final.md5);
    expect(await dvcText(page)).toBe(dvcFileText(final, 'data'));
  });
});

/** Images of the grid that lie inside its visible area: how many decoded, which did not. */
async function visibleImages(grid: import('playwright-core').Locator): Promise<{ loaded: number; broken: string[] }> {
  return grid.evaluate((viewport) => {
    const box = viewport.getBoundingClientRect();
    let loaded = 0;
    const broken: string[] = [];
    for (const img of Array.from(viewport.querySelectorAll('img'))) {
      const r = img.getBoundingClientRect();
      const inside = r.bottom > box.top && r.top < box.bottom && r.right > box.left && r.left < box.right;
      if (!inside) continue;
      if (img.complete && img.naturalWidth > 0) loaded++;
      else broken.push(img.alt);
    }
    return { loaded, broken };
  });
}
