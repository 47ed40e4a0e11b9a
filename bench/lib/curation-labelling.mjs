// bench:curation, labelling in place with 10 000 images: one class of 10 000 12×12 PNGs (and
// a class of 10), through the page. Each step is timed from the click to the first frame
// where the Classes table shows its result, with the longest main-thread task in between:
// "Rename class" (the anchor: an edit of every path that existed before), "Select all",
// "Move to class…", "Undo", "Move to split…", "Remove from data set", "Undo".
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../../scripts/datasets/png.mjs';
import { makeZip } from '../../scripts/datasets/zip.mjs';
import { openObserved, timeStep } from './page-clock.mjs';
import { importZip } from './train-page.mjs';

export const LABELLING_FILES = 10_000;

/**
 * The 10 000 + 10 image zip, in `scratch`: every image different (its number in the first
 * pixel), so the data set holds 10 010 distinct files, not copies the validation report lists.
 * @param {string} scratch
 */
export function labellingZip(scratch) {
  const image = (/** @type {number} */ i) => encodePng(12, 12, 3, Uint8Array.from({ length: 12 * 12 * 3 }, (_, j) => (j === 0 ? i & 0xff : j === 1 ? i >> 8 : (i * 7 + j * 13) & 0xff)));
  const entries = [
    ...Array.from({ length: LABELLING_FILES }, (_, i) => ({ name: `data/train/cats/${String(i).padStart(5, '0')}.png`, data: image(i) })),
    ...Array.from({ length: 10 }, (_, i) => ({ name: `data/train/dogs/${i}.png`, data: image(LABELLING_FILES + i) })),
  ];
  const path = join(scratch, 'ten-thousand.zip');
  writeFileSync(path, makeZip(entries));
  return path;
}

/**
 * In the page: performance.now() once the Classes table's row `label` shows `count` in column
 * `column` (or, with count null, once the row is gone); else false.
 * @param {{ label: string, column: string, count: number | null }} want
 */
function classesShow(want) {
  const caption = Array.from(document.querySelectorAll('table caption')).find((c) => c.textContent?.trim() === 'Classes');
  const table = caption?.parentElement;
  if (!table) return false;
  const headers = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent?.trim());
  const row = Array.from(table.querySelectorAll('tbody tr')).find((tr) => tr.querySelector('th')?.textContent?.trim() === want.label);
  if (want.count === null) return row ? false : performance.now();
  const cell = row?.children[headers.indexOf(want.column)];
  return cell && Number(cell.textContent?.replace(/\D/g, '')) === want.count ? performance.now() : false;
}

/** @param {{ label: string }} want */
function allSelected(want) {
  const toolbar = document.querySelector('[role="toolbar"][aria-label="Selected images"]');
  return toolbar?.textContent?.replace(/\D/g, '').startsWith(String(want.label)) ? performance.now() : false;
}

/** One run: returns { step: { ms, longestTaskMs } }. @param {string} url @param {string} zip @param {(t: string) => void} log */
export async function labellingRun(url, zip, log) {
  const app = await openObserved(url);
  const { page } = app;
  try {
    await importZip(page, zip);
    log(`imported ${LABELLING_FILES + 10} images`);
    const classes = page.getByRole('table', { name: 'Classes', exact: true });
    const toolbar = page.getByRole('toolbar', { name: 'Selected images', exact: true });
    // Waits for tiles under `folder`: right after an edit or undo the grid may still show the
    // class as it was, and Select all there selects paths that are about to go (or none).
    const openGrid = async (/** @type {string} */ label, /** @type {string} */ folder) => {
      const button = classes.getByRole('button', { name: label, exact: true });
      if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
      await page.getByRole('list', { name: `Images of ${label}`, exact: true }).getByRole('checkbox', { name: `Select ${folder}` }).first().waitFor();
    };
    const selectAll = () => timeStep(page, () => toolbar.getByRole('button', { name: 'Select all', exact: true }).click(), allSelected, { label: String(LABELLING_FILES) });
    const undo = () => page.getByRole('status', { name: 'Last edit', exact: true }).getByRole('button', { name: 'Undo', exact: true }).click();
    /** @type {Record<string, { ms: number, longestTaskMs: number }>} */
    const steps = {};

    steps.rename = await timeStep(
      page,
      async () => {
        await classes.getByRole('button', { name: 'Rename class cats', exact: true }).click();
        await page.getByRole('textbox', { name: 'New name for cats', exact: true }).fill('kittens');
        await classes.getByRole('button', { name: 'Rename', exact: true }).click();
      },
      classesShow,
      { label: 'kittens', column: 'Total', count: LABELLING_FILES },
    );
    await openGrid('kittens', 'train/kittens/');
    steps.selectAll = await selectAll();
    steps.moveToClass = await timeStep(
      page,
      async () => {
        await toolbar.getByRole('button', { name: 'Move to class…', exact: true }).click();
        await page.getByRole('combobox', { name: 'Class to move to', exact: true }).fill('dogs');
        await page.getByRole('button', { name: 'Move', exact: true }).click();
      },
      classesShow,
      { label: 'dogs', column: 'Total', count: LABELLING_FILES + 10 },
    );
    steps.undoMove = await timeStep(page, undo, classesShow, { label: 'kittens', column: 'Total', count: LABELLING_FILES });
    await openGrid('kittens', 'train/kittens/');
    await selectAll();
    steps.moveToSplit = await timeStep(
      page,
      async () => {
        await toolbar.getByRole('button', { name: 'Move to split…', exact: true }).click();
        await page.getByRole('combobox', { name: 'Split to move to', exact: true }).selectOption('validation');
        await page.getByRole('button', { name: 'Move', exact: true }).click();
      },
      classesShow,
      { label: 'kittens', column: 'validation', count: LABELLING_FILES },
    );
    await openGrid('kittens', 'validation/kittens/');
    await selectAll();
    steps.remove = await timeStep(page, () => toolbar.getByRole('button', { name: 'Remove from data set', exact: true }).click(), classesShow, { label: 'kittens', column: 'Total', count: null });
    steps.undoRemove = await timeStep(page, undo, classesShow, { label: 'kittens', column: 'Total', count: LABELLING_FILES });
    const alerts = await page.getByRole('alert').allInnerTexts();
    if (alerts.length) throw new Error(`the page shows: ${alerts.join(' | ')}`);
    return { steps, chromium: app.version };
  } finally {
    await app.close();
  }
}
