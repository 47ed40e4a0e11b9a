// Versions and the work around them, through the page, each test on a fresh profile with a
// small cut of the real Fashion-MNIST zip (10 train + 5 validation per class) plus a few
// generated PNGs; models are trained on WASM at 22×22 for 1 epoch (about a second):
//   - "Delete version" then gc frees exactly the bytes no other version (nor the workspace)
//     holds, model weights included; a tagged version cannot be deleted; deleting the
//     checked-out one asks first and keeps the workspace's files;
//   - tags: add, move (asks), remove; refused commits change nothing; data-only comparison;
//     deleting a parent leaves a store that verifies clean;
//   - uncommitted work (files and a trained model) is never lost on checkout: the page asks,
//     "Keep as stash and check out" puts it in the timeline, checking the stash out brings
//     the files and the model back;
//   - "Train anyway" repeated: every run ends showing its result.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { formatBytes } from '../../src/core/format/bytes';
import { browsers, classesTable, expectNoAlerts, png, usage, zip } from './fixtures';
import { FASHION, importZip, metricsTable, setInputs, storedRun, subsetZip, trainButton, whyDisabled } from './training-helpers';
import {
  acceptNextDialog,
  checkout,
  commit,
  commitButton,
  commitOk,
  comparison,
  dismissNextDialog,
  itemButton,
  outcome,
  readTable,
  reloadApp,
  statusText,
  tickCompare,
  timeline,
  verifyStore,
  versionItem,
  versionsResult,
  trainAndWait,
} from './versions-helpers';

const session = browsers({ perTest: true });

/** n distinct PNGs (32×32, seeded) under data/train/<label>/, as a zip; with their total size. */
function pngZip(label: string, seeds: number[]): { name: string; bytes: Uint8Array; total: number; count: number } {
  const files = Object.fromEntries(seeds.map((seed) => [`data/train/${label}/extra-${seed}.png`, png(seed, 32, 32)]));
  const total = Object.values(files).reduce((sum, bytes) => sum + bytes.length, 0);
  return { name: `extra-${label}-${seeds[0]}.zip`, bytes: zip(files), total, count: seeds.length };
}

async function base(page: Page): Promise<void> {
  await importZip(page, { name: 'fashion-small.zip', bytes: subsetZip(FASHION(), { train: 10, validation: 5 }) });
  expect((await classesTable(page))?.total).toEqual({ train: 20, validation: 10, Total: 30 });
}

describe('versions: delete + gc, tags, uncommitted work on checkout, repeated runs', () => {
  test('"Delete version" frees exactly the bytes only that version held; tags protect; deleting HEAD asks', async () => {
    const { page } = await session.open();
    await base(page);
    expect(await commitOk(page, 'Base data', 'base')).toBe('Committed “Base data” as base (data only).');

    const extra = pngZip('sandal', [101, 102, 103, 104]);
    await importZip(page, extra);
    await expect.poll(() => statusText(page)).toBe('+4 files in train/sandal');
    // A model only this version will hold: its weights are freed with it.
    await setInputs(page, { imageSize: 22, epochs: 1, batchSize: 8, backend: 'WASM' });
    expect(await whyDisabled(page)).toEqual([]);
    await trainAndWait(page, () => trainButton(page).click());
    const weights = (await storedRun(page))?.model?.weightsSize ?? NaN;
    expect(weights, 'bytes of the trained weights').toBeGreaterThan(0);
    await expect.poll(() => statusText(page)).toBe('+4 files in train/sandal, model trained, not committed');
    expect(await commitOk(page, 'Four extra sandals')).toBe('Committed “Four extra sandals” with its model.');
    let items = await timeline(page);
    expect(items.map((item) => [item.message, item.head])).toEqual([
      ['Four extra sandals', true],
      ['Base data', false],
    ]);
    expect(items[1]!.meta).toContain('20 train · 10 validation · data only');
    expect(items[0]!.meta).toMatch(/24 train · 10 validation · val_accuracy \d\.\d{4}/);

    // A tagged version is protected.
    expect(await itemButton(versionItem(page, 'base'), 'Delete version').isDisabled(), '"Delete version" on a tagged version').toBe(true);

    // The checked-out version: the page asks; dismissing changes nothing.
    const noticeBefore = await versionsResult(page).allInnerTexts();
    const asked = dismissNextDialog(page);
    await itemButton(versionItem(page, 'Four extra sandals'), 'Delete version').click();
    expect(await asked).toMatch(/is checked out/);
    await page.waitForTimeout(300);
    expect((await timeline(page)).length, 'versions after dismissing the question').toBe(2);
    expect(await versionsResult(page).allInnerTexts(), 'no new "Versions result"').toEqual(noticeBefore);

    // Check out "base" so only the extra version holds the four PNGs, then delete it.
    expect(await checkout(page, 'base')).toEqual({ result: 'Checked out base.', alert: null });
    await expect.poll(async () => (await classesTable(page))?.total).toEqual({ train: 20, validation: 10, Total: 30 });
    await expect.poll(async () => (await timeline(page)).find((item) => item.head)?.tags).toEqual(['base']);
    items = await timeline(page);
    expect(items[0]!.meta, 'storage of the extra version: its 4 PNGs and its weights are unique to it').toContain(`${formatBytes(extra.total + weights)} unique`);
    const before = await usage(page);
    const question = acceptNextDialog(page);
    await itemButton(versionItem(page, 'Four extra sandals'), 'Delete version').click();
    expect(await question).toMatch(/^Delete “Four extra sandals”\?/);
    const said = await outcome(page);
    expect(said.alert).toBeNull();
    expect(said.result).toMatch(new RegExp(`^Deleted “Four extra sandals”: ${formatBytes(extra.total + weights).replace('.', '\\.')} freed \\(5 files, \\d+ records no other version needed\\)\\.$`));
    const after = await usage(page);
    expect(before.blobBytes - after.blobBytes, 'bytes freed = the 4 PNGs + the weights').toBe(extra.total + weights);
    expect(before.blobs - after.blobs, 'blobs freed (4 PNGs + the weights)').toBe(5);
    await expect.poll(async () => (await timeline(page)).map((item) => item.message)).toEqual(['Base data']);

    // Deleting the checked-out version after saying yes: HEAD moves to its parent, and the
    // workspace keeps its files (they are uncommitted work again, not lost).
    const two = pngZip('sneaker', [201, 202]);
    await importZip(page, two);
    expect(await commitOk(page, 'Two extra sneakers')).toBe('Committed “Two extra sneakers” (data only).');
    const beforeHead = await usage(page);
    const yes = acceptNextDialog(page);
    await itemButton(versionItem(page, 'Two extra sneakers'), 'Delete version').click();
    expect(await yes).toMatch(/is checked out/);
    const deleted = await outcome(page);
    expect(deleted.alert).toBeNull();
    expect(deleted.result).toMatch(/^Deleted “Two extra sneakers”: \d+ B freed \(0 files, /);
    await expect.poll(async () => (await timeline(page)).map((item) => [item.message, item.head])).toEqual([['Base data', true]]);
    await expect.poll(() => statusText(page), { message: 'the files of the deleted HEAD are still in the workspace' }).toBe('+2 files in train/sneaker');
    expect((await classesTable(page))?.total).toEqual({ train: 22, validation: 10, Total: 32 });
    expect((await usage(page)).blobBytes).toBe(beforeHead.blobBytes);
    await expectNoAlerts(page, 'at the end');
  });

  test('tags: add, move (asks), remove; a refused commit (taken or invalid tag, blank message) changes nothing', async () => {
    const { page } = await session.open();
    await base(page);
    await commitOk(page, 'First', 'v1.0');
    await importZip(page, pngZip('sandal', [501, 502]));
    const before = { usage: await usage(page), status: await statusText(page) };
    expect(before.status).toBe('+2 files in train/sandal');

    const refusals: [string, string, RegExp][] = [
      ['Second', 'v1.0', /tag “v1\.0” is already on another version/],
      ['Second', 'v 2', /cannot contain spaces/],
      ['   ', '', /Write a message/],
    ];
    for (const [message, tag, why] of refusals) {
      const said = await commit(page, message, tag);
      expect(said.result, `commit "${message}" tag "${tag}"`).toBeNull();
      expect(said.alert).toMatch(why);
      expect((await timeline(page)).map((item) => item.message), 'the timeline after a refused commit').toEqual(['First']);
      expect(await usage(page), 'the store after a refused commit').toEqual(before.usage);
      expect(await statusText(page)).toBe(before.status);
    }
    // An empty message: the form itself refuses (the field is required).
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill('');
    await commitButton(page).click();
    await page.waitForTimeout(300);
    expect((await timeline(page)).length).toBe(1);
    expect(await usage(page)).toEqual(before.usage);

    expect(await commitOk(page, 'Second')).toBe('Committed “Second” (data only).');
    // Tag an existing version.
    await itemButton(versionItem(page, 'Second'), 'Tag').click();
    await page.getByRole('textbox', { name: 'New tag', exact: true }).fill('v2.0');
    await page.getByRole('button', { name: 'Add tag', exact: true }).click();
    expect(await outcome(page)).toEqual({ result: 'Tagged v2.0.', alert: null });
    await expect.poll(async () => (await timeline(page)).map((item) => [item.message, item.tags])).toEqual([
      ['Second', ['v2.0']],
      ['First', ['v1.0']],
    ]);
    // Moving a tag asks first; saying no leaves it.
    for (const move of [false, true]) {
      await itemButton(versionItem(page, 'Second'), 'Tag').click();
      await page.getByRole('textbox', { name: 'New tag', exact: true }).fill('v1.0');
      const question = move ? acceptNextDialog(page) : dismissNextDialog(page);
      await page.getByRole('button', { name: 'Add tag', exact: true }).click();
      expect(await question).toMatch(/v1\.0 is on .*Move it here\?/);
      if (move) expect(await outcome(page)).toEqual({ result: 'Tagged v1.0.', alert: null });
      else {
        await page.waitForTimeout(300);
        const cancel = versionItem(page, 'Second').getByRole('button', { name: 'Cancel', exact: true });
        if (await cancel.count()) await cancel.click();
      }
      await expect.poll(async () => (await timeline(page)).map((item) => [item.message, item.tags])).toEqual(
        move
          ? [
              ['Second', ['v1.0', 'v2.0']],
              ['First', []],
            ]
          : [
              ['Second', ['v2.0']],
              ['First', ['v1.0']],
            ],
      );
    }
    expect(await itemButton(versionItem(page, 'First'), 'Delete version').isEnabled(), 'an untagged version can be deleted').toBe(true);
    // Remove a tag.
    await versionItem(page, 'Second').getByRole('button', { name: 'Remove tag v2.0', exact: true }).click();
    await expect.poll(async () => (await timeline(page)).map((item) => [item.message, item.tags])).toEqual([
      ['Second', ['v1.0']],
      ['First', []],
    ]);
    await reloadApp(page);
    expect((await timeline(page)).map((item) => [item.message, item.tags, item.head])).toEqual([
      ['Second', ['v1.0'], true],
      ['First', [], false],
    ]);

    // Comparing two data-only versions: the files changed, no metrics, no curves, no matrices.
    await tickCompare(page, 'First');
    await tickCompare(page, 'Second');
    const region = comparison(page);
    await region.waitFor();
    expect((await readTable(region.getByRole('table', { name: 'Files changed', exact: true }))).rows).toEqual([['train', 'sandal', '2', '0', '0', '0']]);
    expect((await readTable(region.getByRole('table', { name: 'Metrics changed', exact: true }))).rows).toEqual([['Neither version has metrics.']]);
    expect(await region.getByRole('figure').count(), 'learning curves of data-only versions').toBe(0);
    expect(await region.getByRole('table').count(), 'tables: files, params, metrics; no confusion matrix').toBe(3);

    // Deleting a parent: its child stays, and the store still verifies clean.
    const gone = acceptNextDialog(page);
    await itemButton(versionItem(page, 'First'), 'Delete version').click();
    await gone;
    expect((await outcome(page)).result).toMatch(/^Deleted “First”: /);
    await expect.poll(async () => (await timeline(page)).map((item) => item.message)).toEqual(['Second']);
    await expect.poll(() => region.count(), { message: 'no comparison once one side is deleted' }).toBe(0);
    const verified = await verifyStore(page);
    expect(verified.ok, `Verify result after deleting a parent: ${verified.text}`).toBe(true);
    await expectNoAlerts(page, 'at the end');
  });

  test('uncommitted work: checkout asks; "Keep as stash and check out" keeps it in the timeline; checking out the stash brings it back', async () => {
    const { page } = await session.open();
    await base(page);
    await commitOk(page, 'Small set', 'v1.0');
    await importZip(page, pngZip('sandal', [301, 302]));
    await commitOk(page, 'Two more sandals', 'v2.0');
    const v2Table = await classesTable(page);
    expect(v2Table?.total).toEqual({ train: 22, validation: 10, Total: 32 });

    // Work no version keeps.
    const work = pngZip('sneaker', [401, 402, 403]);
    await importZip(page, work);
    await expect.poll(() => statusText(page)).toBe('+3 files in train/sneaker');
    // ... and a model trained on it, not committed either.
    await setInputs(page, { imageSize: 22, epochs: 1, batchSize: 8, backend: 'WASM' });
    await trainAndWait(page, () => trainButton(page).click());
    const trained = (await metricsTable(page)).cells;
    const model = (await storedRun(page))?.model?.weights;
    await expect.poll(() => statusText(page)).toBe('+3 files in train/sneaker, model trained, not committed');

    // Cancel changes nothing.
    await itemButton(versionItem(page, 'v1.0'), 'Check out').click();
    const dialog = page.getByRole('dialog', { name: 'Keep your uncommitted work?', exact: true });
    await dialog.waitFor();
    expect((await dialog.innerText()).replace(/\s+/g, ' ')).toContain('+3 files in train/sneaker, model trained, not committed');
    await dialog.getByRole('button', { name: 'Cancel', exact: true }).click();
    await dialog.waitFor({ state: 'detached' });
    expect((await classesTable(page))?.total).toEqual({ train: 25, validation: 10, Total: 35 });
    await expect.poll(() => statusText(page)).toBe('+3 files in train/sneaker, model trained, not committed');

    // Keep as stash.
    await itemButton(versionItem(page, 'v1.0'), 'Check out').click();
    await dialog.waitFor();
    await dialog.getByRole('textbox', { name: 'Stash message', exact: true }).fill('Three sneakers, not committed');
    await dialog.getByRole('button', { name: 'Keep as stash and check out', exact: true }).click();
    const stashed = await outcome(page);
    expect(stashed).toEqual({ result: 'Checked out v1.0; your work is kept as a stash in the timeline.', alert: null });
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await classesTable(page))?.total).toEqual({ train: 20, validation: 10, Total: 30 });
    await expect.poll(async () => (await timeline(page)).find((item) => item.head)?.tags).toEqual(['v1.0']);
    let items = await timeline(page);
    const stash = items.find((item) => item.message === 'Three sneakers, not committed');
    expect(stash, 'a stash item in the timeline').toBeDefined();
    expect(stash).toMatchObject({ stash: true, head: false, tags: [] });
    expect(stash!.meta).toMatch(/25 train · 10 validation · val_accuracy \d\.\d{4}/);
    await expect.poll(async () => (await metricsTable(page)).rows.length, { message: 'v1.0 (data only) has no model: no metrics shown' }).toBe(0);
    expect(items.find((item) => item.head)?.tags).toEqual(['v1.0']);
    await expect.poll(() => statusText(page)).toBe('Up to date with v1.0');

    // Checking out the stash brings the work back (on top of its parent, v2.0).
    expect(await checkout(page, 'Three sneakers, not committed')).toEqual({ result: 'Checked out Three sneakers, not committed.', alert: null });
    await expect.poll(async () => (await classesTable(page))?.total).toEqual({ train: 25, validation: 10, Total: 35 });
    expect((await classesTable(page))?.rows['sneaker']).toEqual({ train: 13, validation: 5, Total: 18 });
    await expect.poll(async () => (await timeline(page)).find((item) => item.head)?.tags, { message: "HEAD is the stash's parent" }).toEqual(['v2.0']);
    await expect.poll(() => statusText(page)).toBe('+3 files in train/sneaker, model trained, not committed');
    await expect.poll(async () => (await metricsTable(page)).cells, { message: 'the stashed model is back' }).toEqual(trained);
    expect((await storedRun(page))?.model?.weights).toBe(model);

    // The stash keeps that work now, so leaving it again does not ask.
    expect(await checkout(page, 'v1.0')).toEqual({ result: 'Checked out v1.0.', alert: null });
    expect(await page.getByRole('dialog').count()).toBe(0);
    await expect.poll(async () => (await classesTable(page))?.total).toEqual({ train: 20, validation: 10, Total: 30 });
    await expectNoAlerts(page, 'at the end');
  });

  test('"Train anyway" ten times in a row on a tiny set: every run finishes and shows its result', async () => {
    // Each run's last phase messages ("evaluating", "saving") and its result travel on two
    // different message channels of the train worker; a run whose result arrives first must
    // not be left showing "Saving the model…" with Train disabled.
    const { page } = await session.open();
    await base(page);
    await setInputs(page, { imageSize: 22, epochs: 1, batchSize: 8, backend: 'WASM' });
    const runs: string[] = [];
    for (let i = 0; i < 10; i++) {
      const press = async () => {
        await trainButton(page).click();
        if (i > 0) await page.getByRole('status', { name: 'Run cache', exact: true }).getByRole('button', { name: 'Train anyway', exact: true }).click();
      };
      runs.push(await trainAndWait(page, press).catch((error: Error) => {
        throw new Error(`run ${i + 1} of 10: ${error.message}`);
      }));
    }
    expect(new Set(runs).size, 'ten distinct runs stored').toBe(10);
  });
});
