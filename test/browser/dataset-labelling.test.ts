// Labelling in place, through the page: select images in a class's grid (click, shift-click,
// "Select all"), "Move to class…", "Move to split…", "Remove from data set"; each is an
// uncommitted change in the workspace status, the Classes table and the DVC hash (checked
// against python3's own .dir hash of the moved paths) follow, and "Undo" takes it back until
// the next commit. An empty selection says so and changes nothing.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { browsers, classesTable, dvcHash, dvcOf, dvcOfFiles, expectNoAlerts, openGrid, settle, tempDir, type DvcFile } from './fixtures';
import { FASHION, importZip, subsetZip } from './training-helpers';
import { commitOk, statusText } from './versions-helpers';

const session = browsers({ perTest: true });

const toolbar = (page: Page) => page.getByRole('toolbar', { name: 'Selected images', exact: true });
const tile = (page: Page, path: string) => page.getByRole('checkbox', { name: `Select ${path}`, exact: true });
const lastEdit = (page: Page) => page.getByRole('status', { name: 'Last edit', exact: true });

async function act(page: Page, action: () => Promise<void>): Promise<void> {
  await action();
  await settle(page);
}

/** Moves the selection with one of the "Move to …" forms. */
async function moveTo(page: Page, which: 'class' | 'split', value: string): Promise<void> {
  await toolbar(page).getByRole('button', { name: `Move to ${which}…`, exact: true }).click();
  if (which === 'class') await page.getByRole('combobox', { name: 'Class to move to', exact: true }).fill(value);
  else await page.getByRole('combobox', { name: 'Split to move to', exact: true }).selectOption(value);
  await act(page, () => page.getByRole('button', { name: 'Move', exact: true }).click());
}

describe('labelling in place', () => {
  test('move to class and split, remove, undo until commit; an empty selection changes nothing', { timeout: 180_000 }, async () => {
    const { page } = await session.open();
    const files = tempDir();
    const zipPath = files.write('fashion-small.zip', subsetZip(FASHION(), { train: 6, validation: 3 }));
    try {
      await importZip(page, zipPath);
      const original = dvcOf([zipPath]);
      expect(await dvcHash(page)).toBe(original.out.md5);
      await commitOk(page, 'Base data', 'base');
      const base = await classesTable(page);
      expect(base?.rows).toEqual({ sandal: { train: 6, validation: 3, Total: 9 }, sneaker: { train: 6, validation: 3, Total: 9 } });

      const grid = await openGrid(page, 'sandal');
      const sandals = original.files.filter((f) => f.relpath.startsWith('train/sandal/')).map((f) => f.relpath);

      // Nothing selected: each action says so and changes nothing (no move form opens).
      expect(await page.getByRole('alert').count()).toBe(0);
      await toolbar(page).getByRole('button', { name: 'Remove from data set', exact: true }).click();
      await expect.poll(() => page.getByRole('alert').allInnerTexts()).toEqual([expect.stringMatching(/^No images selected: click an image to select it/)]);
      for (const which of ['Move to class…', 'Move to split…']) {
        await toolbar(page).getByRole('button', { name: which, exact: true }).click();
        expect(await page.getByRole('alert').allInnerTexts(), which).toEqual([expect.stringMatching(/^No images selected/)]);
        expect(await toolbar(page).getByRole('button', { name: which, exact: true }).getAttribute('aria-expanded'), which).toBe('false');
      }
      await settle(page);
      expect(await classesTable(page)).toEqual(base);
      expect(await dvcHash(page)).toBe(original.out.md5);

      // Click the first, shift-click the third: three selected.
      await tile(page, sandals[0]!).click();
      await tile(page, sandals[2]!).click({ modifiers: ['Shift'] });
      await expect.poll(() => toolbar(page).innerText()).toMatch(/^3 images selected/);
      expect(await page.getByRole('alert').count(), 'a selection answers "No images selected"').toBe(0);
      await moveTo(page, 'class', 'sneaker');
      await expectNoAlerts(page, 'after Move to class');
      expect((await classesTable(page))?.rows).toEqual({ sandal: { train: 3, validation: 3, Total: 6 }, sneaker: { train: 9, validation: 3, Total: 12 } });
      const moved = relabel(original.files, sandals.slice(0, 3), (path) => path.replace('train/sandal/', 'train/sneaker/'));
      expect(await dvcHash(page)).toBe(dvcOfFiles(moved).md5);
      expect(await lastEdit(page).innerText()).toMatch(/^Moved 3 images to “sneaker”\./);
      await expect.poll(() => statusText(page)).toMatch(/3 files relabelled to train\/sneaker/);
      expect(await grid.getByRole('listitem').count()).toBe(6);

      // Select all of the class, move to validation.
      await toolbar(page).getByRole('button', { name: 'Select all', exact: true }).click();
      await expect.poll(() => toolbar(page).innerText()).toMatch(/^6 images selected/);
      await moveTo(page, 'split', 'validation');
      expect((await classesTable(page))?.rows.sandal).toEqual({ train: 0, validation: 6, Total: 6 });

      // Remove one, then undo twice: back to the committed data.
      await tile(page, 'validation/sandal/' + sandals[3]!.split('/').at(-1)).click();
      await toolbar(page).getByRole('button', { name: 'Remove from data set', exact: true }).click();
      await settle(page);
      expect((await classesTable(page))?.total).toEqual({ train: 9, validation: 8, Total: 17 });
      for (const expected of [{ train: 9, validation: 9, Total: 18 }, { train: 12, validation: 6, Total: 18 }]) {
        await act(page, () => lastEdit(page).getByRole('button', { name: 'Undo', exact: true }).click());
        expect((await classesTable(page))?.total).toEqual(expected);
      }
      expect(await dvcHash(page)).toBe(dvcOfFiles(moved).md5);
      await act(page, () => lastEdit(page).getByRole('button', { name: 'Undo', exact: true }).click());
      expect(await classesTable(page)).toEqual(base);
      expect(await dvcHash(page)).toBe(original.out.md5);
      await expect.poll(() => statusText(page)).toMatch(/^Up to date with base/);
      expect(await lastEdit(page).getByRole('button', { name: 'Undo' }).count(), 'nothing left to undo').toBe(0);

      // A commit ends undo.
      await tile(page, sandals[0]!).click();
      await moveTo(page, 'class', 'boot');
      expect((await classesTable(page))?.rows.boot).toEqual({ train: 1, validation: 0, Total: 1 });
      await commitOk(page, 'A boot', 'boot');
      await expect.poll(() => lastEdit(page).getByRole('button', { name: 'Undo' }).count()).toBe(0);
      await expectNoAlerts(page, 'at the end');
    } finally {
      files.remove();
    }
  });
});

function relabel(files: DvcFile[], paths: string[], to: (path: string) => string): DvcFile[] {
  const moving = new Set(paths);
  return files.map((file) => (moving.has(file.relpath) ? { ...file, relpath: to(file.relpath) } : file));
}
