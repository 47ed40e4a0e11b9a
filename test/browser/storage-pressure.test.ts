// Storage under pressure, through the page as a person meets it: a quota set through the DevTools
// Protocol (Storage.overrideQuotaForOrigin), a browser killed with SIGKILL mid-import, refused
// imports, Clean up, and Verify beside other work. Every wait is for a state the page shows.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { freshProfile, killChromium } from '../harness/chromium.mjs';
import { fashionZip } from '../harness/fashion-many.mjs';
import { HANG, addImages, addToDataset, browsers, classesTable, dropFiles, png, pngHeader, randomBytes, review, settle, tempDir, usage, zip } from './fixtures';
import { bytesNamed, cleanUp, packFolderBytes, quotaAbove, unusedData } from './storage-helpers';
import { FASHION, importZip, subsetZip } from './training-helpers';
import { commit, commitOk, openTab, reloadApp, statusText, verifyStore, versionItem, versionsList } from './versions-helpers';

const session = browsers({ perTest: true });
const temp = tempDir('pawprint-storage-');
afterAll(() => temp.remove());

const alerts = (page: Page) => page.getByRole('alert').allInnerTexts();

/** A zip of `count` files under data/train/<two classes>/ that the import takes (PNG headers) of `bytes` each. */
function bigZip(count: number, bytes: number, seed: number): string {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) files[`data/train/${i % 2 ? 'big-cats' : 'big-dogs'}/${i}.png`] = pngHeader(64, 64, randomBytes(bytes, seed + i));
  return temp.write(`big-${seed}.zip`, zip(files));
}

describe('storage: quota', () => {
  test('a pixel cache that does not fit is no failed import: the files are stored, the page says once that decoded images are not kept', async () => {
    const { page } = await session.open();
    await quotaAbove(page, 3_000_000); // Fashion's 1 800 PNGs fit; their 64 px pixel cache (22 MB) does not
    await addImages(page, FASHION());
    await review(page).waitFor();
    expect(await addToDataset(page)).toBe('1 800 new files, 0 files already stored.');
    expect(await alerts(page)).toEqual([]);
    const note = page.getByRole('status', { name: 'Image cache', exact: true });
    expect(await note.innerText()).toMatch(/^The images are checked, but their decoded copies did not fit in the browser’s storage, so they are not kept/);
    expect((await classesTable(page))?.total.Total).toBe(1800);
    await reloadApp(page);
    expect(await alerts(page), 'no error after a reload either').toEqual([]);
    expect((await classesTable(page))?.total.Total).toBe(1800);
    expect((await verifyStore(page)).text).toMatch(/^Store verified: 1800 files rehashed, \d+ records checked, no problems\.$/);
  });

  test('an import refused for quota says how far it got, takes back what it stored, and goes through once there is room', async () => {
    const { page } = await session.open();
    await importZip(page, { name: 'small.zip', bytes: subsetZip(FASHION(), { train: 10, validation: 5 }) });
    expect(await commitOk(page, 'Small set', 'v1.0')).toBe('Committed “Small set” as v1.0 (data only).');
    const before = { usage: await usage(page), packs: await packFolderBytes(page) };
    // 40 MB left: the first batch of files (16 MiB, for which Chromium reserves more room in the
    // pack file) is stored, a later one runs out.
    const used = await quotaAbove(page, 40_000_000);
    // navigator.storage.estimate() does not see the DevTools override: the page gets the quota manager's figures.
    await page.evaluate((figures) => {
      navigator.storage.estimate = async () => figures;
    }, { usage: used, quota: used + 40_000_000 });
    const big = bigZip(2400, 20_000, 0x4000); // 48 MB
    await addImages(page, big);
    await review(page).waitFor();
    await expect
      .poll(() => review(page).getByRole('status', { name: 'Space needed', exact: true }).innerText(), { timeout: HANG })
      .toMatch(/^This import may need up to [\d.]+ MB \(files 48\.\d MB, decoded images [\d.]+ MB\), and the browser lets this site store about 40\.0 MB more\. It may fail part-way/);
    await review(page).getByRole('button', { name: 'Add to data set', exact: true }).click();
    const alert = page.getByRole('alert').first();
    await alert.waitFor({ timeout: HANG });
    await settle(page);
    const said = (await alert.innerText()).trim();
    console.info(`refused for quota: ${said}`);
    expect(said).toMatch(
      /^The browser ran out of storage space while storing the files of this import, after [\d ]+ files \([\d.]+ MB\) of 2 400 files\. Nothing was added to the data set, and the files this import stored were removed again: the data set and every version are as they were\./,
    );
    expect({ usage: await usage(page), packs: await packFolderBytes(page) }, 'nothing left behind').toEqual(before);
    expect(await unusedData(page)).toBeNull();
    const verified = await verifyStore(page);
    expect(verified.text, 'Verify finds nothing unreachable').toMatch(/^Store verified: .* no problems\.$/);
    expect(await statusText(page)).toBe('Up to date with v1.0');

    await quotaAbove(page, 300_000_000);
    await addImages(page, big);
    await review(page).waitFor();
    expect(await addToDataset(page)).toBe('2 400 new files, 0 files already stored.');
  });
});

describe('storage: interrupted work', () => {
  const profile = freshProfile('pawprint-killed-');
  afterAll(() => profile.remove());

  test('a browser killed while storing 20 000 files: found at start-up, reported by Verify, freed by Clean up to the byte; v1.0 untouched', async () => {
    let app = await session.open({ userDataDir: profile.dir });
    await importZip(app.page, { name: 'small.zip', bytes: subsetZip(FASHION(), { train: 10, validation: 5 }) });
    await commitOk(app.page, 'Small set', 'v1.0');
    const v1 = await usage(app.page);

    await addImages(app.page, temp.write('fashion-20000.zip', fashionZip(20_000).zip));
    await review(app.page).getByRole('button', { name: 'Add to data set', exact: true }).click();
    const storing = app.page.getByRole('progressbar', { name: 'Storing files', exact: true });
    await storing.waitFor({ timeout: HANG });
    // A batch of 4 096 files has been recorded once the bar passes a fifth: kill the browser then.
    await expect.poll(async () => Number((await storing.getAttribute('value').catch(() => null)) ?? 0), { interval: 20, timeout: HANG }).toBeGreaterThan(0.21);
    console.info(`killing Chromium at "Storing files" ${await storing.getAttribute('value').catch(() => '?')}: ${killChromium(profile.dir)} processes`);
    await app.close();

    app = await session.open({ userDataDir: profile.dir });
    await versionsList(app.page).waitFor({ timeout: HANG });
    await expect.poll(() => unusedData(app.page), { message: 'the interrupted import is found at start-up', timeout: HANG }).not.toBeNull();
    const found = (await unusedData(app.page))!;
    console.info(found);
    expect(found).toMatch(/^Unused data found: [\d.]+ [KM]B \([\d ]+ files( and 1 pack file)?\) is used by no version, workspace, stash or run: left by work that did not finish or was refused, such as an import closed half-way\. Clean up frees it\.$/);
    expect(await usage(app.page), 'nothing was deleted unasked').not.toEqual(v1);
    expect(await statusText(app.page)).toBe('Up to date with v1.0');

    const verified = await verifyStore(app.page);
    expect(verified.ok).toBe(true);
    expect(verified.text).toContain(`no problems. Finding: ${bytesNamed(found)} (`);

    const cleaned = await cleanUp(app.page);
    console.info(cleaned);
    expect(cleaned).toMatch(new RegExp(`^Cleaned up: ${bytesNamed(found)!.replace('.', '\\.')} freed \\([\\d ]+ files`));
    expect(await unusedData(app.page)).toBeNull();
    expect(await usage(app.page)).toEqual(v1);
    expect(await packFolderBytes(app.page), 'the pack folder holds exactly the bytes v1.0 uses').toBe(v1.blobBytes);
    expect((await verifyStore(app.page)).text).toMatch(/^Store verified: .* no problems\.$/);
    expect((await classesTable(app.page))?.total).toEqual({ train: 20, validation: 10, Total: 30 });
    expect(await cleanUp(app.page)).toBe('Nothing to clean up: everything stored is used by a version, the workspace, a stash or the last run.');
  });
});

describe('storage: an image check stopped by a closed browser', () => {
  const profile = freshProfile('pawprint-check-');
  afterAll(() => profile.remove());

  test('resumes where it stopped after a reopen, saying how many decoded images it kept', async () => {
    let app = await session.open({ userDataDir: profile.dir });
    await addImages(app.page, temp.write('fashion-20000-check.zip', fashionZip(20_000).zip));
    await review(app.page).getByRole('button', { name: 'Add to data set', exact: true }).click();
    const checking = app.page.getByRole('progressbar', { name: 'Checking images', exact: true });
    await checking.waitFor({ timeout: HANG });
    // Parts are kept every 2 048 images (or ~680 at 64 px: 8 MiB): past a third, several are.
    await expect.poll(async () => Number((await checking.getAttribute('value').catch(() => null)) ?? 0), { interval: 50, timeout: HANG }).toBeGreaterThan(0.33);
    console.info(`killing Chromium at "Checking images" ${await checking.getAttribute('value').catch(() => '?')}: ${killChromium(profile.dir)} processes`);
    await app.close();

    app = await session.open({ userDataDir: profile.dir });
    const resumed = app.page.getByText(/^Resumed where it stopped: [\d ]+ images decoded before are kept · /);
    await resumed.waitFor({ timeout: HANG });
    const kept = Number(/: ([\d ]+) images/.exec(await resumed.innerText())![1]!.replace(/ /g, ''));
    console.info(`resumed with ${kept} images decoded before`);
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(20_000);
    await settle(app.page);
    expect((await classesTable(app.page))?.total.Total).toBe(20_000);
    expect(await alerts(app.page)).toEqual([]);
  });
});

describe("storage: another tab's work in progress", () => {
  test('Clean up pressed in another tab while an import stores waits for it and frees none of its files', async () => {
    const { page, context } = await session.open();
    const other = await openTab(context);
    try {
      await addImages(page, temp.write('fashion-20000.zip', fashionZip(20_000).zip));
      await review(page).getByRole('button', { name: 'Add to data set', exact: true }).click();
      const storing = page.getByRole('progressbar', { name: 'Storing files', exact: true });
      await storing.waitFor({ timeout: HANG });
      // The other tab's Clean up plans under the store lock, which this import holds from its first file to its data set.
      const cleaned = cleanUp(other.page);
      console.info(`Clean up pressed in the other tab; this tab still shows "Storing files": ${await storing.isVisible()}`);
      const imported = page.getByRole('status', { name: 'Import result', exact: true });
      await imported.waitFor({ timeout: HANG });
      expect(await imported.innerText()).toBe('20 000 new files, 0 files already stored.');
      expect(await cleaned).toBe('Nothing to clean up: everything stored is used by a version, the workspace, a stash or the last run.');
      expect(await unusedData(other.page)).toBeNull();
      await settle(page);
      expect(await usage(page)).toMatchObject({ blobs: 20_000 });
      expect(await packFolderBytes(page), 'every byte stored is a file of the data set').toBe((await usage(page)).blobBytes);
      expect((await classesTable(page))?.total.Total).toBe(20_000);
      expect((await verifyStore(other.page)).text).toMatch(/^Store verified: 20000 files rehashed, \d+ records checked, no problems\.$/);
      expect(other.pageErrors).toEqual([]);
    } finally {
      await other.page.close();
    }
  });
});

describe('storage: the review asks instead of storing', () => {
  test('loose files without a class, a split name, an invisible character, lookalike classes and a merge that would lose files are asked about, with nothing stored meanwhile', async () => {
    const { page } = await session.open();
    const empty = await usage(page);
    await dropFiles(page, [1, 2, 3].map((seed) => ({ name: `loose-${seed}.png`, bytes: png(seed) })));
    await review(page).waitFor();
    const add = review(page).getByRole('button', { name: 'Add to data set', exact: true });
    const before = review(page).getByRole('alert', { name: 'Before adding', exact: true });
    await add.click();
    expect(await before.innerText()).toBe('3 files have no class folder: type their class in “Class for 3 loose files”.');
    const loose = review(page).getByRole('textbox', { name: /^Class for 3 loose files/ });
    await loose.fill('train');
    await add.click();
    await expect.poll(() => before.innerText()).toMatch(/^“train”: "train" names a split folder/);
    expect(await usage(page), 'nothing stored while the review asks').toEqual(empty);
    await loose.fill('cats');
    expect(await addToDataset(page)).toBe('3 new files, 0 files already stored.');

    const RLO = '\u202e';
    const files: Record<string, Uint8Array> = {};
    ['Dogs', 'dogs', `birds${RLO}x`].forEach((label, c) => {
      for (let i = 0; i < 3; i++) files[`data/train/${label}/${i}.png`] = png(100 * (c + 1) + i);
    });
    const stored = await usage(page);
    await addImages(page, temp.write('odd.zip', zip(files)));
    await review(page).waitFor();
    // Rows (and so the names) in the review's order.
    const group = review(page).getByRole('group', { name: 'Lookalike classes dogs, Dogs', exact: true });
    expect(await group.innerText()).toMatch(/^“dogs” and “Dogs” differ only in case: on macOS and Windows their folders are one folder\. Merge them, or rename one\./);
    await add.click();
    await expect.poll(() => before.innerText()).toBe(
      'The folder “birds⟨U+202E⟩x” cannot be a class as it is: A class name cannot contain U+202E RIGHT-TO-LEFT OVERRIDE: it is invisible, and makes the name show as another or two names that look the same differ. Rename it here.',
    );
    expect(await usage(page)).toEqual(stored);
    await review(page).getByRole('textbox', { name: `Class name for birds${RLO}x`, exact: true }).fill('birds');
    // Dogs/0.png and dogs/0.png: merged, two files would share train/dogs/0.png.
    await group.getByRole('button', { name: 'Merge into “dogs”', exact: true }).click();
    await add.click();
    await expect.poll(() => before.innerText()).toBe(
      'Giving “Dogs” the class “dogs” would put two files at train/dogs/0.png (and 2 more paths), and one would be lost. Give “Dogs” a name of its own here, or rename its files before dropping them.',
    );
    expect(await usage(page), 'nothing stored while the review asks').toEqual(stored);
    await review(page).getByRole('textbox', { name: 'Class name for Dogs', exact: true }).fill('puppies');
    expect(await addToDataset(page)).toBe('9 new files, 0 files already stored.');
    expect((await classesTable(page))?.rows).toEqual({
      birds: { train: 3, unsplit: 0, Total: 3 },
      cats: { train: 0, unsplit: 3, Total: 3 },
      dogs: { train: 3, unsplit: 0, Total: 3 },
      puppies: { train: 3, unsplit: 0, Total: 3 },
    });
  });
});

describe('storage: Verify beside other work, and commits', () => {
  test('Verify shows progress, leaves version actions available and can be cancelled; an unchanged workspace is not committed again', async () => {
    const { page, context } = await session.open();
    await importZip(page, FASHION());
    await commitOk(page, 'Fashion', 'v1.0');
    const again = await commit(page, 'Same data, new words');
    expect(again.alert).toBe(
      'Nothing to commit: the data set is the same as in the checked-out version “Fashion” (v1.0), committed here or in another tab. To name it differently, tag that version.',
    );

    // Another tab holds the store lock (as an import would): Verify reads everything, then waits for it.
    const other = await context.newPage();
    await other.goto(page.url());
    await other.evaluate(
      () =>
        new Promise<void>((granted) => {
          void navigator.locks.request('pawprint-store', () => {
            granted();
            return new Promise<void>((release) => ((window as unknown as { release: () => void }).release = release));
          });
        }),
    );
    const storageRegion = page.getByRole('region', { name: 'Storage', exact: true });
    await storageRegion.getByRole('button', { name: 'Verify store', exact: true }).click();
    const bar = storageRegion.getByRole('progressbar', { name: 'Verifying store', exact: true });
    await bar.waitFor({ timeout: HANG });
    await expect.poll(async () => (await bar.getAttribute('value')) === (await bar.getAttribute('max')) && Number(await bar.getAttribute('max')) > 1800, { timeout: HANG }).toBe(true);
    expect(await storageRegion.innerText()).toMatch(/Verifying: [\d ]+ items of [\d ]+ items checked/);
    expect(await versionItem(page, 'v1.0').getByRole('button', { name: 'Check out', exact: true }).isEnabled(), 'version actions stay available during Verify').toBe(true);
    expect(await page.getByRole('button', { name: 'Commit', exact: true }).isEnabled()).toBe(true);
    await storageRegion.getByRole('button', { name: 'Cancel verify', exact: true }).click();
    await expect.poll(() => storageRegion.getByRole('status', { name: 'Verify result', exact: true }).innerText(), { timeout: HANG }).toBe('Verify cancelled: nothing was changed.');
    await other.evaluate(() => (window as unknown as { release: () => void }).release());
    await other.close();
    expect((await verifyStore(page)).text).toMatch(/^Store verified: 1800 files rehashed, \d+ records checked, no problems\.$/);
  });
});
