// Experiments through the page (`dvc exp run --queue`, `dvc exp show`, `dvc exp apply`), in one
// browser profile, in order: queue a 2 × 2 grid and watch it run one run after another; sort
// the table, overlay curves, read the scatter; queue the same grid again and see every run
// answered from the run-cache; apply the best run and commit it as a version that names it.
// Real data: a small Fashion-MNIST sandal/sneaker subset, WASM, 22 px, 1 epoch per run.
import { describe, expect, test } from 'vitest';
import { HANG, browsers, expectNoAlerts } from './fixtures';
import { experimentRow, experimentsRegion, experimentsTable, notice, queueGrid, queueLine, storedExperiments, tableRows, useWasm, waitForQueue } from './experiments-helpers';
import { FASHION, importZip, spinbutton, subsetZip } from './training-helpers';
import { commitOk, statusText, timeline } from './versions-helpers';

const session = browsers({ perTest: false });
const app = () => session.shared();

const GRID = { learningRate: '0.001, 0.003', epochs: '1', batchSize: '16', imageSize: '22', seed: '1, 2' };
/** What the tests learn along the way: the grid's runs, by name. */
const seen: { first: string[] } = { first: [] };

describe('experiments: queue a grid, read the table, hit the run-cache, apply and commit', () => {
  test('a 2 × 2 grid runs one run after another, with progress; the table sorts, marks the best, plots and scatters', async () => {
    const { page } = await app();
    await importZip(page, { name: 'fashion-small.zip', bytes: subsetZip(FASHION(), { train: 40, validation: 10 }) });
    await useWasm(page);

    const queued = await queueGrid(page, GRID, 4);
    const names = /^Queued 4 runs: (exp-\w+), (exp-\w+), (exp-\w+), (exp-\w+)\.$/.exec(queued)?.slice(1);
    expect(names, `the notice "${queued}" names the 4 runs`).toHaveLength(4);
    seen.first = names!;

    // Watch it run: one run at a time, in queue order, with its progress bar in the table.
    await experimentsRegion(page).getByRole('progressbar', { name: `Progress of ${names![0]}`, exact: true }).waitFor({ timeout: HANG });
    expect(await queueLine(page)).toMatch(/^exp-\w+ running in this tab(, [1-3] runs? queued)?\.$/);
    const rows = await waitForQueue(page);
    await expectNoAlerts(page, 'after the grid ran');
    expect(rows.map((row) => [row.name, row.state, row.cells['Learning rate'], row.cells['Seed'], row.cells['Backend']])).toEqual([
      [names![0], 'done', '0.001', '1', 'wasm'],
      [names![1], 'done', '0.001', '2', 'wasm'],
      [names![2], 'done', '0.003', '1', 'wasm'],
      [names![3], 'done', '0.003', '2', 'wasm'],
    ]);
    for (const row of rows) {
      for (const metric of ['accuracy', 'loss', 'val_accuracy', 'val_loss']) expect(Number.parseFloat(row.cells[metric]!), `${row.name}'s ${metric}`).not.toBeNaN();
    }
    // The store agrees: one tab ran them all, each with its own model.
    const records = await storedExperiments(page);
    expect(new Set(records.map((record) => record.runner)).size, 'runners of the grid').toBe(1);
    expect(records.every((record) => record.status === 'done' && record.result && !record.cached)).toBe(true);

    // The best val_accuracy is marked; sorting by it puts that row first, then last.
    const best = experimentsTable(page).getByRole('row').filter({ has: page.getByLabel('best val_accuracy', { exact: true }) });
    expect(await best.count(), 'rows marked best val_accuracy').toBeGreaterThan(0);
    const header = experimentsTable(page).getByRole('columnheader', { name: 'val_accuracy' });
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    const descending = (await tableRows(page)).map((row) => Number(row.cells['val_accuracy']!.replace(/[^\d.]/g, '')));
    expect(descending).toEqual([...descending].sort((a, b) => b - a));
    await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('ascending');
    const ascending = (await tableRows(page)).map((row) => Number(row.cells['val_accuracy']!.replace(/[^\d.]/g, '')));
    expect(ascending).toEqual([...descending].reverse());

    // Overlay two runs' curves; the scatter of learning rate vs val_accuracy has all 4, on a log axis.
    await page.getByRole('checkbox', { name: `Plot ${names![0]}`, exact: true }).check();
    await page.getByRole('checkbox', { name: `Plot ${names![3]}`, exact: true }).check();
    await page.getByRole('figure', { name: `val_accuracy per epoch: ${names![0]}, ${names![3]}`, exact: true }).waitFor();
    const scatter = experimentsRegion(page).getByRole('region', { name: 'Scatter', exact: true });
    expect((await scatter.getByRole('figure').innerText()).replace(/\s+/g, ' ')).toContain('4 finished runs; log axis');
  });

  test('the same grid again is answered from the run-cache, not retrained, and says so', async () => {
    const { page } = await app();
    const before = await tableRows(page);
    const queued = await queueGrid(page, GRID, 4);
    expect(queued).toMatch(/^Queued 4 runs: /);
    const rows = await waitForQueue(page);
    const again = rows.filter((row) => !seen.first.includes(row.name));
    expect(again).toHaveLength(4);
    const strip = (cell: string | undefined) => (cell ?? '').replace(' ★', '');
    const sources: string[] = [];
    for (const row of again) {
      // Each names the earlier run with its params, and shows that run's metrics.
      const source = /^done \(run-cache: (exp-\w+)\)$/.exec(row.state)?.[1];
      expect(seen.first, `${row.name}'s state "${row.state}"`).toContain(source);
      sources.push(source!);
      const earlier = before.find((candidate) => candidate.name === source)!;
      for (const column of ['Learning rate', 'Epochs', 'Seed', 'accuracy', 'loss', 'val_accuracy', 'val_loss']) {
        expect(strip(row.cells[column]), `${row.name}'s ${column}`).toBe(strip(earlier.cells[column]));
      }
    }
    expect(new Set(sources).size, 'each earlier run answers one').toBe(4);
    const records = await storedExperiments(page);
    expect(records.filter((record) => record.cached).map((record) => record.cached!.label).sort()).toEqual([...seen.first].sort());
  });

  test('Apply puts a run in the workspace; Commit makes it a version that names the experiment', async () => {
    const { page } = await app();
    const chosen = seen.first[2]!; // learning rate 0.003, seed 1
    await experimentRow(page, chosen).getByRole('button', { name: `Apply ${chosen}`, exact: true }).click();
    expect(await notice(page)).toBe(`Applied ${chosen}: its parameters and model are in the workspace. Commit makes it a version.`);
    await expect.poll(() => spinbutton(page, 'Learning rate').inputValue()).toBe('0.003');
    await expect.poll(() => spinbutton(page, 'Seed').inputValue()).toBe('1');
    await expect.poll(async () => (await tableRows(page)).find((row) => row.name === chosen)?.cells['Experiment']).toBe(`${chosen} applied`);

    expect(await commitOk(page, 'Best of the grid', 'v1.0')).toBe('Committed “Best of the grid” as v1.0 with its model.');
    await expect.poll(() => statusText(page)).toBe('Up to date with v1.0');
    const [item] = await timeline(page);
    expect(item!.meta).toContain(`from ${chosen}`);
    await expect.poll(async () => (await tableRows(page)).find((row) => row.name === chosen)?.cells['Experiment'], { timeout: HANG }).toMatch(new RegExp(`^${chosen} .*→ v1\\.0$`));
    // The committed version is HEAD: the table's baseline row shows it.
    await expect.poll(() => experimentsTable(page).getByRole('row', { name: 'Baseline', exact: true }).innerText()).toContain('v1.0 (HEAD)');
  });

  test('past 50 runs the table shows the first 50 in the order chosen, and "Show all" the rest', async () => {
    const { page } = await app();
    await page.getByRole('button', { name: /^Show all / }).waitFor({ state: 'detached' });
    // The grid again and again, answered from the run-cache: 8 runs so far, 4 more each time, to 48.
    for (let i = 0; i < 10; i++) {
      await queueGrid(page, GRID, 4);
      await waitForQueue(page);
    }
    // Four more: listed while they wait, then past the first 50 once done.
    await experimentsRegion(page).getByRole('button', { name: 'Queue 4 runs', exact: true }).click();
    expect(await notice(page)).toMatch(/^Queued 4 runs: /);
    await waitForQueue(page);
    const caption = () => experimentsTable(page).locator('caption').innerText();
    await expect.poll(caption).toBe('Experiments (dvc exp show): 52 runs (50 shown), best value of each metric marked ★');
    expect(await tableRows(page)).toHaveLength(50);
    // Sorted by val_accuracy, the first page holds the best ones.
    const header = experimentsTable(page).getByRole('columnheader', { name: 'val_accuracy' });
    if ((await header.getAttribute('aria-sort')) !== 'descending') await header.getByRole('button').click();
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await page.getByRole('button', { name: 'Show all 52 runs', exact: true }).click();
    const all = await tableRows(page);
    expect(all).toHaveLength(52);
    const accuracy = (row: { cells: Record<string, string> }) => Number(row.cells['val_accuracy']!.replace(/[^\d.]/g, ''));
    expect(all.map(accuracy)).toEqual(all.map(accuracy).sort((a, b) => b - a));
    expect(await caption()).toBe('Experiments (dvc exp show): 52 runs, best value of each metric marked ★');
    await page.getByRole('button', { name: 'Show the first 50', exact: true }).click();
    expect((await tableRows(page)).map((row) => row.name)).toEqual(all.slice(0, 50).map((row) => row.name));
  });
});
