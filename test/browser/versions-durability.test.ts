// Closing the tab at the worst moment leaves a store that verifies clean, with every earlier
// version intact: once while "Add to data set" is storing the 2 800 tutorial JPEGs (~67 MB),
// once right after pressing Commit on them. The browser is then closed and started again on
// the same profile (same IndexedDB), as a person reopening the app would.
//
// Every wait here is for a state the page shows (a progress bar, a result, a status line), capped
// at HANG: a loaded 2-core machine makes each step (two 67 MB imports, three store checks that
// rehash every file) several times slower, never wrong.
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { freshProfile } from '../harness/chromium.mjs';
import type { OpenedApp } from './app';
import { HANG, addImages, browsers, classesTable, review, usage } from './fixtures';
import { cleanUp } from './storage-helpers';
import { FASHION, importZip, subsetZip } from './training-helpers';
import {
  checkout,
  commitButton,
  commitOk,
  outcome,
  statusText,
  timeline,
  tutorialZip,
  verifyStore,
  versionItem,
  versionsList,
} from './versions-helpers';

const session = browsers({ perTest: false });
const profile = freshProfile('pawprint-durability-');
afterAll(() => profile.remove());

const SMALL = { train: 20, validation: 10, Total: 30 };

/** Closes the tab (its workers die with it), then the browser; reopens on the same profile. */
async function closeAndReopen(app: OpenedApp): Promise<OpenedApp> {
  await app.page.close({ runBeforeUnload: false });
  await app.close();
  const reopened = await session.open({ userDataDir: profile.dir });
  await versionsList(reopened.page).waitFor({ timeout: HANG });
  return reopened;
}

/** The earlier version is intact: on the timeline, and checking it out gives its files. */
async function expectV1Intact(page: Page): Promise<void> {
  const items = await timeline(page);
  expect(items.find((item) => item.tags.includes('v1.0'))?.meta, 'v1.0 on the timeline').toContain('20 train · 10 validation');
  await versionItem(page, 'v1.0').getByRole('button', { name: 'Check out', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: 'Keep your uncommitted work?', exact: true });
  const said = await Promise.race([outcome(page).then((o) => ({ ...o, dialog: false })), dialog.waitFor().then(() => ({ result: null, alert: null, dialog: true }))]);
  console.info(`checking out v1.0 ${said.dialog ? 'asked about uncommitted work (kept as a stash)' : `said: ${JSON.stringify(said)}`}`);
  if (said.dialog) {
    await dialog.getByRole('button', { name: 'Keep as stash and check out', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
  }
  await expect.poll(async () => (await classesTable(page))?.total, { message: 'Classes after checking out v1.0', timeout: HANG }).toEqual(SMALL);
  await expect.poll(() => statusText(page), { message: 'Workspace status after checking out v1.0', timeout: HANG }).toBe('Up to date with v1.0');
}

describe('versions: closing the tab mid-ingest and mid-commit', () => {
  test('the store verifies clean and v1.0 is intact after the tab closes while storing 2 800 files, and right after Commit', async () => {
    const zipPath = await tutorialZip();
    let app = await session.open({ userDataDir: profile.dir });
    await importZip(app.page, { name: 'fashion-small.zip', bytes: subsetZip(FASHION(), { train: 10, validation: 5 }) });
    expect(await commitOk(app.page, 'Small set', 'v1.0')).toBe('Committed “Small set” as v1.0 (data only).');
    const v1Usage = await usage(app.page);

    // ---- close the tab while "Add to data set" is storing the tutorial's 2 800 JPEGs
    await addImages(app.page, zipPath);
    await review(app.page).getByRole('button', { name: 'Add to data set', exact: true }).click();
    const storing = app.page.getByRole('progressbar', { name: 'Storing files', exact: true });
    await storing.waitFor({ timeout: HANG });
    await expect.poll(async () => Number((await storing.getAttribute('value').catch(() => null)) ?? 0), { interval: 25, timeout: HANG }).toBeGreaterThan(0.05);
    const fraction = await storing.getAttribute('value').catch(() => '?');
    app = await closeAndReopen(app);
    const afterIngest = await usage(app.page);
    console.info(
      `closed at "Storing files" ${fraction}: on reopening, ${afterIngest.blobs - v1Usage.blobs} blobs ` +
        `(${afterIngest.blobBytes - v1Usage.blobBytes} bytes) of the interrupted import are stored, referenced by nothing`,
    );
    let verified = await verifyStore(app.page, HANG);
    expect(verified.ok, `Verify result after closing mid-ingest: ${verified.text}`).toBe(true);
    // The batches recorded before the close are used by nothing: a finding Clean up frees, not damage.
    expect(verified.text).toMatch(/^Store verified: .* no problems\.( Finding: .* is used by no version, workspace, stash or run: .* Clean up frees it\.)?$/);
    console.info(`after closing mid-ingest, Clean up said: ${await cleanUp(app.page)}`);
    await expect.poll(() => statusText(app.page), { message: 'the interrupted import left the workspace as it was', timeout: HANG }).toBe('Up to date with v1.0');
    expect((await classesTable(app.page))?.total).toEqual(SMALL);
    await expectV1Intact(app.page);

    // ---- close the tab right after pressing Commit on the 2 800 files
    await addImages(app.page, zipPath);
    await review(app.page).getByRole('button', { name: 'Add to data set', exact: true }).click();
    await app.page.getByRole('status', { name: 'Import result', exact: true }).waitFor({ timeout: HANG });
    await expect.poll(async () => (await classesTable(app.page))?.total.Total, { timeout: HANG }).toBe(2830);
    await app.page.getByRole('textbox', { name: 'Message', exact: true }).fill('Tutorial photos');
    await commitButton(app.page).click();
    app = await closeAndReopen(app);
    verified = await verifyStore(app.page, HANG);
    expect(verified.ok, `Verify result after closing mid-commit: ${verified.text}`).toBe(true);
    const items = await timeline(app.page);
    const landed = items.some((item) => item.message === 'Tutorial photos');
    const status = await statusText(app.page);
    console.info(`closed right after Commit: the commit ${landed ? 'landed' : 'did not land'}; status on reopening: ${status}`);
    // Either way the page agrees with itself: committed and checked out, or still uncommitted work.
    if (landed) {
      expect(items.find((item) => item.message === 'Tutorial photos')).toMatchObject({ head: true });
      expect(status).toBe('Up to date with “Tutorial photos”');
    } else {
      expect(status).toMatch(/^\+2 800 files in /);
    }
    expect((await classesTable(app.page))?.total.Total, 'the workspace keeps the 2 800 imported files').toBe(2830);
    await expectV1Intact(app.page);
    const final = await verifyStore(app.page, HANG);
    expect(final.ok, `Verify result at the end: ${final.text}`).toBe(true);
    expect(final.text, 'nothing unreachable is left').toMatch(/^Store verified: .* no problems\.$/);
    expect(app.pageErrors).toEqual([]);
  });
});
