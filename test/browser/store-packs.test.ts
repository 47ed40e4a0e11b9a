// Blob bytes in OPFS pack files, through the page: an import writes one pack holding exactly
// the new bytes, a repeated import writes none, and every file reads back as it was (from the
// page's main thread, before and after a reload); deleting a version deletes the pack only it
// held and keeps the others. Real data: Fashion-MNIST data.zip.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { addImages, addToDataset, browsers, dataset, expectNoAlerts, png, usage, zip } from './fixtures';
import { importZip } from './training-helpers';
import { acceptNextDialog, checkout, commitOk, itemButton, outcome, verifyStore, versionItem } from './versions-helpers';

const session = browsers({ perTest: false });

/** The pack files of the page's store: name → size in bytes. */
function packFiles(page: Page): Promise<Record<string, number>> {
  return page.evaluate(async () => {
    const root = await navigator.storage.getDirectory();
    const sizes: Record<string, number> = {};
    let folder: FileSystemDirectoryHandle;
    try {
      folder = await root.getDirectoryHandle('pawprint.packs');
    } catch {
      return sizes;
    }
    for await (const [name, handle] of folder as unknown as AsyncIterable<[string, FileSystemFileHandle]>) sizes[name] = (await handle.getFile()).size;
    return sizes;
  });
}

/** sha256 of each stored blob as read back through window.pawprint.readBlob in the page. */
function readBackHashes(page: Page, shas: string[]): Promise<string[]> {
  return page.evaluate(async (shas) => {
    const hex = (buffer: ArrayBuffer) => Array.from(new Uint8Array(buffer), (b) => b.toString(16).padStart(2, '0')).join('');
    return Promise.all(shas.map(async (sha) => hex(await crypto.subtle.digest('SHA-256', await (await window.pawprint.readBlob(sha)).arrayBuffer()))));
  }, shas);
}

describe('store: blob bytes in pack files', () => {
  const files = Object.entries(unzipSync(readFileSync(dataset('fashion/data.zip')))).filter(([name]) => name.startsWith('data/') && !name.endsWith('/'));
  const shas = [...new Set(files.map(([, bytes]) => createHash('sha256').update(bytes).digest('hex')))];
  const newBytes = files.reduce((total, [, bytes]) => total + bytes.length, 0);

  test('an import writes one pack of exactly its new bytes; the same zip again writes nothing; all reads back after a reload', async () => {
    const { page } = await session.open();
    expect(await packFiles(page)).toEqual({});

    await addImages(page, dataset('fashion/data.zip'));
    expect(await addToDataset(page)).toBe('1 800 new files, 0 files already stored.');
    await expectNoAlerts(page, 'after adding data.zip');
    const packs = await packFiles(page);
    expect(Object.values(packs)).toEqual([newBytes]);
    expect((await usage(page)).blobBytes).toBe(newBytes);

    await addImages(page, dataset('fashion/data.zip'));
    expect(await addToDataset(page)).toBe('0 new files, 1 800 files already stored.');
    expect(await packFiles(page)).toEqual(packs);

    expect(await readBackHashes(page, shas)).toEqual(shas);
    await page.reload();
    await page.evaluate(() => window.pawprint.ready);
    expect(await readBackHashes(page, shas)).toEqual(shas);
  });

  test('"Delete version" deletes the pack file only that version held; the rest still verifies', async () => {
    const { page } = await session.open();
    const pngs = (label: string, seeds: number[]) => Object.fromEntries(seeds.map((seed) => [`data/train/${label}/${seed}.png`, png(seed, 32, 32)]));
    const bytesOf = (files: Record<string, Uint8Array>) => Object.values(files).reduce((total, bytes) => total + bytes.length, 0);
    const first = pngs('cats', [1, 2, 3]);
    const extra = pngs('dogs', [4, 5]);

    await importZip(page, { name: 'first.zip', bytes: zip(first) });
    expect(await commitOk(page, 'First', 'first')).toBe('Committed “First” as first (data only).');
    await importZip(page, { name: 'extra.zip', bytes: zip(extra) });
    expect(await commitOk(page, 'Extra')).toBe('Committed “Extra” (data only).');
    expect(Object.values(await packFiles(page)).sort((a, b) => a - b)).toEqual([bytesOf(extra), bytesOf(first)].sort((a, b) => a - b));

    expect(await checkout(page, 'first')).toEqual({ result: 'Checked out first.', alert: null });
    const question = acceptNextDialog(page);
    await itemButton(versionItem(page, 'Extra'), 'Delete version').click();
    await question;
    expect((await outcome(page)).alert).toBeNull();
    expect(Object.values(await packFiles(page))).toEqual([bytesOf(first)]);
    expect((await verifyStore(page)).ok).toBe(true);
  });
});
