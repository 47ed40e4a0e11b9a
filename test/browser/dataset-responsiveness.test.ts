// What keeps the page responsive with many images, asserted as design rather than as times (how
// long the main thread's tasks are is a benchmark figure: npm run bench:responsiveness, which
// depends on the machine's load): while a zip is imported, the page's main thread reads no
// file bytes, hashes nothing and decodes nothing (the dataset worker does); while the thumbnail
// grid scrolls, it reads no stored bytes, opens no pack file, asks IndexedDB for nothing and
// decodes no image: the store worker reads each image and hands the page a thumbnail already
// scaled to the tile.
//
// The page's main thread is instrumented before the app's own scripts run (addInitScript):
// each API that reads bytes, hashes, decodes or reads IndexedDB counts its calls there. Init
// scripts do not run in workers, so what the workers do is not counted.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { waitForPawprint, type OpenedApp } from './app';
import { HANG, addImages, addToDataset, browsers, classesTable, expectNoAlerts, openGrid, png, review, reviewTable, runtimeStatus, settle, tempDir, zip } from './fixtures';

const session = browsers({ perTest: false });
const temp = tempDir('pawprint-responsive-');
afterAll(() => temp.remove());

const PER_CLASS = 600;
const [WIDTH, HEIGHT] = [200, 120];

type Calls = Record<string, number>;

/** Counts, on the page's main thread, each call of the APIs that read bytes, hash, decode or read IndexedDB. */
function instrumentMainThread(): void {
  const calls: Calls = {};
  (window as unknown as { __mainThreadCalls: Calls }).__mainThreadCalls = calls;
  const count = (owner: object | undefined, name: string, label: string) => {
    const target = owner as Record<string, unknown> | undefined;
    const original = target?.[name];
    if (typeof original !== 'function') return;
    calls[label] = 0;
    target![name] = function (this: unknown, ...args: unknown[]) {
      calls[label]! += 1;
      return (original as (...a: unknown[]) => unknown).apply(this, args);
    };
  };
  for (const name of ['arrayBuffer', 'text', 'stream', 'bytes', 'slice']) count(Blob.prototype, name, `Blob.${name}`);
  for (const name of ['readAsArrayBuffer', 'readAsDataURL', 'readAsText', 'readAsBinaryString']) count(FileReader.prototype, name, `FileReader.${name}`);
  count(window, 'createImageBitmap', 'createImageBitmap');
  count(globalThis.crypto?.subtle, 'digest', 'crypto.subtle.digest');
  count(globalThis.FileSystemFileHandle?.prototype, 'getFile', 'FileSystemFileHandle.getFile');
  count(globalThis.FileSystemFileHandle?.prototype, 'createSyncAccessHandle', 'FileSystemFileHandle.createSyncAccessHandle');
  for (const name of ['get', 'getAll', 'getAllKeys', 'openCursor']) count(IDBObjectStore.prototype, name, `IDBObjectStore.${name}`);
  for (const name of ['get', 'getAll', 'openCursor']) count(IDBIndex.prototype, name, `IDBIndex.${name}`);
}

const callsSoFar = (page: Page) => page.evaluate(() => ({ ...(window as unknown as { __mainThreadCalls: Calls }).__mainThreadCalls }));

/** The calls made between two readings, only those that happened. */
function made(before: Calls, after: Calls, names: (name: string) => boolean = () => true): Calls {
  return Object.fromEntries(Object.entries(after).filter(([name, n]) => names(name) && n > (before[name] ?? 0)).map(([name, n]) => [name, n - (before[name] ?? 0)]));
}

let opened: OpenedApp | undefined;

describe('dataset: responsiveness by design', () => {
  test(`importing ${(2 * PER_CLASS).toLocaleString('en')} images: the main thread reads, hashes and decodes none of them`, async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < 2 * PER_CLASS; i++) files[`data/train/${i % 2 ? 'odd' : 'even'}/${String(i).padStart(5, '0')}.png`] = png(0x20000 + i, WIDTH, HEIGHT);
    const path = temp.write('many.zip', zip(files));

    opened = await session.open();
    const { page, context } = opened;
    await context.addInitScript(instrumentMainThread);
    await page.reload({ waitUntil: 'load' });
    await waitForPawprint(page);
    await expect.poll(() => runtimeStatus(page).innerText(), { timeout: HANG }).toMatch(/Backend: (?!starting)\S/);
    await settle(page);
    const before = await callsSoFar(page);
    expect(Object.keys(before), 'the instrumented APIs exist in this browser').toEqual(
      expect.arrayContaining(['Blob.arrayBuffer', 'Blob.slice', 'createImageBitmap', 'crypto.subtle.digest', 'FileSystemFileHandle.getFile', 'IDBObjectStore.get']),
    );

    await addImages(page, path);
    await review(page).waitFor({ timeout: HANG });
    expect(await reviewTable(page)).toEqual({ even: { train: PER_CLASS }, odd: { train: PER_CLASS } });
    expect(await addToDataset(page)).toBe(`${(2 * PER_CLASS).toLocaleString('en').replace(',', ' ')} new files, 0 files already stored.`);
    expect((await classesTable(page))?.total).toEqual({ train: 2 * PER_CLASS, Total: 2 * PER_CLASS });
    await expectNoAlerts(page, 'after the import');

    // IndexedDB reads are left out here: after an import the page re-reads the last run's record.
    expect(made(before, await callsSoFar(page), (name) => !name.startsWith('IDB')), 'main-thread calls while importing').toEqual({});
  });

  test('scrolling the thumbnail grid: the store worker reads and scales the images, the main thread only shows them', async () => {
    expect(opened, 'the import test opened the page').toBeDefined();
    const { page } = opened!;
    const grid = await openGrid(page, 'even');
    await grid.scrollIntoViewIfNeeded();
    const before = await callsSoFar(page);

    // Ten jumps of a tenth of the grid, as a person dragging the scroll bar would; at each,
    // the tiles in view get their thumbnails.
    for (let i = 1; i <= 10; i++) {
      await grid.evaluate((el, f) => el.scrollTo({ top: (el.scrollHeight - el.clientHeight) * f }), i / 10);
      await expect
        .poll(() =>
          grid.evaluate((el) => {
            // In view: inside the grid's box and the window's (lazy images load only there).
            const view = el.getBoundingClientRect();
            const inView = [...el.querySelectorAll('img')].filter((img) => {
              const box = img.getBoundingClientRect();
              return box.bottom > Math.max(view.top, 0) && box.top < Math.min(view.bottom, innerHeight);
            });
            return inView.length > 0 && inView.every((img) => img.complete && img.naturalWidth > 0);
          }),
          { timeout: HANG },
        )
        .toBe(true);
    }
    expect(made(before, await callsSoFar(page)), 'main-thread calls while scrolling').toEqual({});

    // What reached the page is a thumbnail: the 200×120 images scaled to fit the 96 px tile, shape kept.
    const sizes = await grid.getByRole('img').evaluateAll((imgs) => [...new Set(imgs.filter((img) => (img as HTMLImageElement).naturalWidth > 0).map((img) => `${(img as HTMLImageElement).naturalWidth}×${(img as HTMLImageElement).naturalHeight}`))]);
    const dpr = await page.evaluate(() => Math.min(2, Math.max(1, devicePixelRatio)));
    const side = Math.round(96 * dpr);
    expect(sizes).toEqual([`${side}×${Math.round((HEIGHT * side) / WIDTH)}`]);
    expect(await grid.getByRole('listitem').count(), 'tiles in the DOM (virtualised)').toBeLessThan(200);
  });
});
