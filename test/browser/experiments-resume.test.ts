// The experiment queue survives the tab that runs it: a reload mid-run marks the run it
// interrupted (kept, never dropped) and the queue goes on; with two tabs on one profile only
// the one holding the queue's Web Lock runs it, the other follows, and closing the runner hands
// the rest of the queue to the other tab. Small Fashion-MNIST subset, WASM, 22 px.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { HANG, browsers, expectNoAlerts } from './fixtures';
import { experimentsRegion, listed, queueGrid, queueLine, storedExperiments, useWasm, waitForQueue } from './experiments-helpers';
import { FASHION, importZip, setInputs, subsetZip } from './training-helpers';
import { openTab, reloadApp, type Tab } from './versions-helpers';

const session = browsers({ perTest: true });

/**
 * Queues one long run (the form, 5 000 epochs: the tests cut it off, and 40 took ~3 s on an idle
 * machine, over before a test saw it train), then a grid of two 1-epoch runs; returns the long
 * run's name and the grid's.
 */
async function queueLongThenShort(page: Page, seeds: [number, number]): Promise<{ long: string; short: string[] }> {
  await setInputs(page, { epochs: 5000, seed: seeds[0] });
  await experimentsRegion(page).getByRole('button', { name: 'Queue one run with the current parameters', exact: true }).click();
  const long = /^Queued 1 run: (exp-\w+)\.$/.exec(await listed(page, await noticeText(page)))?.[1];
  expect(long, 'the long run is queued').toBeTruthy();
  const queued = await queueGrid(page, { epochs: '1', imageSize: '22', learningRate: '0.001', batchSize: '16', seed: seeds.join(', ') }, 2);
  const short = /^Queued 2 runs: (exp-\w+), (exp-\w+)\.$/.exec(queued)?.slice(1);
  expect(short, `the notice "${queued}"`).toHaveLength(2);
  return { long: long!, short: short! };
}

async function noticeText(page: Page): Promise<string> {
  const status = experimentsRegion(page).getByRole('status', { name: 'Experiments result', exact: true });
  await status.waitFor({ timeout: HANG });
  return (await status.innerText()).replace(/\s+/g, ' ').trim();
}

/** Waits until `name` is training (its progress bar shows an epoch) in this page. */
async function waitUntilTraining(page: Page, name: string): Promise<void> {
  const bar = experimentsRegion(page).getByRole('progressbar', { name: `Progress of ${name}`, exact: true });
  await expect.poll(async () => ((await bar.count()) ? (await bar.locator('xpath=ancestor::div[1]').innerText()).includes('Epoch') : false), { timeout: HANG, interval: 100 }).toBe(true);
}

describe('experiments: reload and two tabs', () => {
  test('a reload mid-run marks that run interrupted, keeps it, and the rest of the queue runs', async () => {
    const { page } = await session.open();
    await importZip(page, { name: 'fashion-small.zip', bytes: subsetZip(FASHION(), { train: 40, validation: 10 }) });
    await useWasm(page);
    const { long, short } = await queueLongThenShort(page, [1, 2]);
    await waitUntilTraining(page, long);

    await reloadApp(page);
    const rows = await waitForQueue(page);
    await expectNoAlerts(page, 'after the queue ran on after the reload');
    expect(rows.map((row) => [row.name, row.state])).toEqual([
      [long, 'interrupted'],
      [short[0], 'done'],
      [short[1], 'done'],
    ]);
    expect(await page.getByLabel(`Why ${long} is interrupted`, { exact: true }).innerText()).toContain('Interrupted: the tab running it was closed or reloaded.');
    // It can be queued again.
    await page.getByRole('button', { name: `Queue ${long} again`, exact: true }).waitFor();
  });

  test('two tabs: only one runs the queue, the other follows; closing it hands the rest to the other tab', async () => {
    const app = await session.open();
    const a = app.page;
    let tab: Tab | undefined;
    try {
      await importZip(a, { name: 'fashion-small.zip', bytes: subsetZip(FASHION(), { train: 40, validation: 10 }) });
      tab = await openTab(app.context);
      const b = tab.page;
      await useWasm(a);
      const { long, short } = await queueLongThenShort(a, [3, 4]);

      // A runs it; B shows the same run, in another tab, and waits for the lock.
      await waitUntilTraining(a, long);
      expect(await queueLine(a)).toBe(`${long} running in this tab, 2 runs queued.`);
      await expect.poll(() => queueLine(b), { timeout: HANG }).toBe(`${long} running in another tab, 2 runs queued.`);
      const runnerA = (await storedExperiments(a)).find((record) => record.name === long)!.runner;

      // Close A mid-run: B takes the queue, marks A's run interrupted and runs the rest.
      await a.close({ runBeforeUnload: false });
      const rows = await waitForQueue(b);
      expect(rows.map((row) => [row.name, row.state])).toEqual([
        [long, 'interrupted'],
        [short[0], 'done'],
        [short[1], 'done'],
      ]);
      const records = await storedExperiments(b);
      const runners = new Map(records.map((record) => [record.name, record.runner]));
      expect(runners.get(short[0]!), 'the tab that ran the rest').not.toBe(runnerA);
      expect(runners.get(short[1]!)).toBe(runners.get(short[0]!));
      expect(tab.pageErrors, "tab B's uncaught errors").toEqual([]);
    } finally {
      await tab?.page.close().catch(() => {});
    }
  });

  test('two tabs open while a grid runs: every run is trained once, by one tab', async () => {
    const app = await session.open();
    const a = app.page;
    let tab: Tab | undefined;
    try {
      await importZip(a, { name: 'fashion-small.zip', bytes: subsetZip(FASHION(), { train: 40, validation: 10 }) });
      tab = await openTab(app.context);
      const b = tab.page;
      await useWasm(b);
      // Queued in B; both tabs want the lock from then on.
      const queued = await queueGrid(b, { epochs: '1', imageSize: '22', learningRate: '0.001, 0.003', batchSize: '16', seed: '5, 6' }, 4);
      expect(queued).toMatch(/^Queued 4 runs: /);
      const [rowsA, rowsB] = await Promise.all([waitForQueue(a), waitForQueue(b)]);
      expect(rowsA.map((row) => row.state)).toEqual(['done', 'done', 'done', 'done']);
      expect(rowsB.map((row) => row.name)).toEqual(rowsA.map((row) => row.name));
      const records = await storedExperiments(a);
      expect(new Set(records.map((record) => record.runner)).size, 'tabs that ran the grid').toBe(1);
      expect(records.every((record) => record.status === 'done' && !record.cached)).toBe(true);
      await expectNoAlerts(a, 'in tab A');
      await expectNoAlerts(b, 'in tab B');
      expect(app.pageErrors).toEqual([]);
      expect(tab.pageErrors).toEqual([]);
    } finally {
      await tab?.page.close().catch(() => {});
    }
  });
});
