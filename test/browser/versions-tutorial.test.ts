// The DVC tutorial "Versioning data and model files" through the page, in one browser profile,
// in order (the tests build on each other, like the tutorial):
//   1. v1: data.zip, train 1 epoch, commit "First model, trained with 1000 images", tag v1.0;
//      v2: new-labels.zip on top, train, commit, tag v2.0; check out v1.0 (git checkout v1.0;
//      dvc checkout); check out v2.0's data only (git checkout v2.0 data.dvc; dvc checkout);
//      compare v1.0 and v2.0; reload and find all of it.
//   2. repro's run-cache: Train with v1.0's inputs reuses v1.0's model; "Train anyway" trains.
//   3. Verify store names a corrupted blob with the versions it affects.
// Real data: Fashion-MNIST sandal vs sneaker (scripts/make-datasets.mjs). DVC hashes are
// checked against python3 (fixtures.ts), never against the app's own code. Training runs on
// WASM at 22×22 for 1 epoch, so each run takes seconds.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { formatBytes } from '../../src/core/format/bytes';
import { browsers, classesTable, dataset, dvcHash, dvcOf, expectNoAlerts } from './fixtures';
import { classify } from './exchange-helpers';
import { evaluationRegion, importZip, metricsTable, setInputs, trainButton, storedRun, validationImage } from './training-helpers';
import {
  checkout,
  commitOk,
  comparison,
  corruptBlob,
  readTable,
  refs,
  reloadApp,
  statusText,
  tickCompare,
  timeline,
  verifyStore,
  versionItem,
  trainAndWait,
} from './versions-helpers';

const session = browsers({ perTest: false });
const app = () => session.shared();

const DATA = () => dataset('fashion/data.zip');
const NEW_LABELS = () => dataset('fashion/new-labels.zip');
/** One image classified by each model: checking out a version must bring its model back. */
const PROBE_IMAGE = () => validationImage(DATA(), 'sandal', 7);
const V1 = () => dvcOf([DATA()]);
const V2 = () => dvcOf([DATA(), NEW_LABELS()]);
const FIRST = 'First model, trained with 1000 images';
const SECOND = 'Second model, trained with 2000 images';
const PARAMS = { imageSize: 22, epochs: 1, backend: 'WASM' } as const;

/** What the tests learn along the way. */
const seen: { v1ValAccuracy?: string; v2ValAccuracy?: string; v1Metrics?: string[][]; v1Id?: string } = {};

async function train(page: Page): Promise<string[][]> {
  await setInputs(page, PARAMS);
  await trainAndWait(page, () => trainButton(page).click());
  await expectNoAlerts(page, 'after training');
  const { cells, rows } = await metricsTable(page);
  expect(rows.length, 'Metrics rows after 1 epoch').toBe(1);
  return cells;
}

describe('versions: the DVC tutorial through the page (Fashion-MNIST sandal vs sneaker)', () => {
  test('1. v1.0 and v2.0: commit, tag, check out (whole and data only), compare, reload', async () => {
    const { page } = await app();
    const v1 = V1();
    const v2 = V2();

    // ---- v1: data.zip, train, commit, tag v1.0
    await importZip(page, DATA());
    await expect.poll(() => statusText(page), { message: 'workspace status before the first commit' }).toMatch(/^\+1 800 files in train\/sandal, train\/sneaker/);
    const v1Cells = await train(page);
    const w1 = (await storedRun(page))?.model?.weightsSize ?? NaN;
    seen.v1Metrics = v1Cells;
    seen.v1ValAccuracy = v1Cells[0]![3]!;
    await expect.poll(() => statusText(page)).toMatch(/^\+1 800 files in .*, model trained, not committed$/);

    expect(await commitOk(page, FIRST, 'v1.0')).toBe(`Committed “${FIRST}” as v1.0 with its model.`);
    await expect.poll(() => statusText(page)).toBe('Up to date with v1.0');
    let items = await timeline(page);
    expect(items.map(({ message, tags, head, stash }) => ({ message, tags, head, stash }))).toEqual([
      { message: FIRST, tags: ['v1.0'], head: true, stash: false },
    ]);
    expect(items[0]!.meta).toContain('1 000 train · 800 validation');
    expect(items[0]!.meta).toContain(`val_accuracy ${seen.v1ValAccuracy}`);
    expect(items[0]!.meta, 'storage figures of the version').toMatch(/\d+(\.\d)? [KM]?B unique, \d+(\.\d)? [KM]?B shared/);
    seen.v1Id = (await refs(page))['HEAD'];
    const v1Answer = await classify(page, PROBE_IMAGE());

    // ---- v2: new-labels.zip on top, train, commit, tag v2.0
    await importZip(page, NEW_LABELS());
    await expect.poll(() => statusText(page), { message: 'status after adding new-labels.zip' }).toMatch(/^\+1 000 files in train\/sandal, train\/sneaker\b/);
    const v2Cells = await train(page);
    const w2 = (await storedRun(page))?.model?.weightsSize ?? NaN;
    seen.v2ValAccuracy = v2Cells[0]![3]!;
    await expect.poll(() => statusText(page)).toBe('+1 000 files in train/sandal, train/sneaker, model trained, not committed');
    expect(await commitOk(page, SECOND, 'v2.0')).toBe(`Committed “${SECOND}” as v2.0 with its model.`);
    await expect.poll(() => statusText(page)).toBe('Up to date with v2.0');
    items = await timeline(page);
    expect(items.map(({ message, tags, head }) => ({ message, tags, head }))).toEqual([
      { message: SECOND, tags: ['v2.0'], head: true },
      { message: FIRST, tags: ['v1.0'], head: false },
    ]);
    expect(items[0]!.meta).toContain('2 000 train · 800 validation');
    expect(items[0]!.meta).toContain(`val_accuracy ${seen.v2ValAccuracy}`);
    expect(await dvcHash(page)).toBe(v2.out.md5);
    // Storage per version: what deleting it would free (its own weights: every file of v1.0 is
    // also in v2.0, and v2.0's are all in the workspace) and what it shares.
    expect(items[0]!.meta, "v2.0's storage").toContain(`${formatBytes(w2)} unique, ${formatBytes(v2.out.size)} shared`);
    expect(items[1]!.meta, "v1.0's storage").toContain(`${formatBytes(w1)} unique, ${formatBytes(v1.out.size)} shared`);

    expect(await classify(page, PROBE_IMAGE()), "v2.0's model answers differently from v1.0's").not.toEqual(v1Answer);

    // ---- git checkout v1.0; dvc checkout
    const whole = await checkout(page, 'v1.0');
    expect(whole).toEqual({ result: 'Checked out v1.0.', alert: null });
    expect(await classify(page, PROBE_IMAGE()), "after checking out v1.0, Classify uses v1.0's model").toEqual(v1Answer);
    await expect.poll(async () => (await classesTable(page))?.total).toEqual({ train: 1000, validation: 800, Total: 1800 });
    expect((await classesTable(page))?.rows).toEqual({
      sandal: { train: 500, validation: 400, Total: 900 },
      sneaker: { train: 500, validation: 400, Total: 900 },
    });
    expect(await dvcHash(page), 'the DVC hash of v1.0 (python3)').toBe(v1.out.md5);
    await expect.poll(() => statusText(page)).toBe('Up to date with v1.0');
    items = await timeline(page);
    expect(items.map((item) => [item.tags[0], item.head])).toEqual([
      ['v2.0', false],
      ['v1.0', true],
    ]);
    await expect.poll(async () => (await metricsTable(page)).cells, { message: "v1.0's metrics after checking it out" }).toEqual(v1Cells);
    await evaluationRegion(page).waitFor();

    // ---- git checkout v2.0 data.dvc; dvc checkout data.dvc
    const dataOnly = await checkout(page, 'v2.0', true);
    expect(dataOnly).toEqual({ result: 'Checked out the data of v2.0.', alert: null });
    await expect.poll(async () => (await classesTable(page))?.total).toEqual({ train: 2000, validation: 800, Total: 2800 });
    expect(await dvcHash(page), 'the DVC hash of v2.0 (python3)').toBe(v2.out.md5);
    items = await timeline(page);
    expect(items.map((item) => [item.tags[0], item.head]), 'HEAD stays on v1.0 after a data-only checkout').toEqual([
      ['v2.0', false],
      ['v1.0', true],
    ]);
    expect((await metricsTable(page)).cells, "the model (metrics) stays v1.0's").toEqual(v1Cells);
    await evaluationRegion(page).waitFor();
    await expect.poll(() => statusText(page)).toMatch(/^\+1 000 files in train\/sandal, train\/sneaker\b/);
    const dataOnlyStatus = await statusText(page);
    console.info(`status after "Check out data only" of v2.0: ${dataOnlyStatus}`);
    expect(dataOnlyStatus).toMatch(/^\+1 000 files in train\/sandal, train\/sneaker\b/);

    // ---- dvc diff / params diff / metrics diff / plots diff v1.0 v2.0
    await tickCompare(page, 'v1.0');
    await tickCompare(page, 'v2.0');
    const region = comparison(page);
    await region.waitFor();
    expect(await region.getByRole('heading').first().innerText()).toBe('v1.0 → v2.0');
    const files = await readTable(region.getByRole('table', { name: 'Files changed', exact: true }));
    expect(files.caption).toBe('Files (dvc diff): +1000 added, −0 removed, 0 relabelled, 0 modified');
    expect(files.rows).toEqual([
      ['train', 'sandal', '500', '0', '0', '0'],
      ['train', 'sneaker', '500', '0', '0', '0'],
    ]);
    const params = await readTable(region.getByRole('table', { name: 'Params changed', exact: true }));
    expect(params.rows, 'both models were trained with the same params').toEqual([['Same params.']]);
    const metrics = await readTable(region.getByRole('table', { name: 'Metrics changed', exact: true }));
    expect(metrics.columns).toEqual(['metric', 'v1.0', 'v2.0', 'change']);
    expect(metrics.rows.map((row) => row[0])).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const valRow = metrics.rows.find((row) => row[0] === 'val_accuracy')!;
    expect(valRow.slice(1, 3)).toEqual([seen.v1ValAccuracy, seen.v2ValAccuracy]);
    for (const [key, from, to, change] of metrics.rows) {
      expect(Math.abs(Number(change) - (Number(to) - Number(from))), `change column of ${key}: ${change} vs ${to} − ${from}`).toBeLessThanOrEqual(0.00015);
    }
    for (const name of ['Loss: v1.0 vs v2.0', 'Accuracy: v1.0 vs v2.0']) {
      const figure = region.getByRole('figure', { name, exact: true });
      await figure.waitFor();
      const area = await figure.locator('canvas').first().evaluate((c) => (c as HTMLCanvasElement).width * (c as HTMLCanvasElement).height);
      expect(area, `the "${name}" chart has pixels`).toBeGreaterThan(0);
    }
    for (const label of ['v1.0', 'v2.0']) {
      const matrix = await readTable(region.getByRole('table', { name: new RegExp(`^${label.replace('.', '\\.')} \\(rows: true class`) }));
      expect(matrix.columns.slice(1)).toEqual(['sandal', 'sneaker']);
      const total = matrix.rows.flatMap((row) => row.slice(1).map(Number)).reduce((a, b) => a + b, 0);
      expect(total, `${label}'s confusion matrix counts the 800 validation images`).toBe(800);
    }
    await expectNoAlerts(page, 'after comparing');

    // ---- reload: all of it is still there
    await reloadApp(page);
    items = await timeline(page);
    expect(items.map(({ message, tags, head }) => ({ message, tags, head }))).toEqual([
      { message: SECOND, tags: ['v2.0'], head: false },
      { message: FIRST, tags: ['v1.0'], head: true },
    ]);
    expect(items[0]!.meta).toContain('2 000 train · 800 validation');
    expect(items[1]!.meta).toContain('1 000 train · 800 validation');
    expect((await classesTable(page))?.total).toEqual({ train: 2000, validation: 800, Total: 2800 });
    expect(await dvcHash(page)).toBe(v2.out.md5);
    await expect.poll(() => statusText(page)).toBe(dataOnlyStatus);
    expect((await metricsTable(page)).cells, "v1.0's metrics after the reload").toEqual(v1Cells);
    await expectNoAlerts(page, 'after the reload');
  });

  test('2. repro: Train with v1.0\'s inputs reuses its model at once; "Train anyway" trains', async () => {
    const { page } = await app();
    expect(await checkout(page, 'v1.0')).toEqual({ result: 'Checked out v1.0.', alert: null });
    await expect.poll(async () => (await classesTable(page))?.total).toEqual({ train: 1000, validation: 800, Total: 1800 });
    await setInputs(page, PARAMS);

    // Watch for any training progress bar from the click on.
    await page.evaluate(() => {
      const w = window as unknown as { __sawProgress: boolean; __observer?: MutationObserver };
      w.__sawProgress = false;
      w.__observer?.disconnect();
      w.__observer = new MutationObserver(() => {
        if (document.querySelector('progress[aria-label="Training progress"]')) w.__sawProgress = true;
      });
      w.__observer.observe(document.body, { childList: true, subtree: true });
    });
    const runBefore = (await refs(page))['workspace-run'];
    expect(runBefore, 'the last run is v1.0 after checking it out').toBe(seen.v1Id);
    await trainButton(page).click();
    const cache = page.getByRole('status', { name: 'Run cache', exact: true });
    await cache.waitFor();
    expect((await cache.innerText()).replace(/\s+/g, ' ')).toContain('Up to date: same inputs as v1.0, not retrained.');
    // At once means: without training (no progress bar, the run stays v1.0), whatever the load.
    expect(await page.evaluate(() => (window as unknown as { __sawProgress: boolean }).__sawProgress), 'no training progress bar on a cache hit').toBe(false);
    expect((await refs(page))['workspace-run'], 'the run stays v1.0').toBe(seen.v1Id);
    expect((await metricsTable(page)).cells).toEqual(seen.v1Metrics);
    await expectNoAlerts(page, 'after the cache hit');

    await trainAndWait(page, () => cache.getByRole('button', { name: 'Train anyway', exact: true }).click());
    await expectNoAlerts(page, 'after "Train anyway"');
    const run = await storedRun(page);
    expect(run?.runId, '"Train anyway" stores a new run').not.toBe(seen.v1Id);
    expect(run?.version.run.durationMs, 'the new run trained').toBeGreaterThan(0);
    expect(await cache.count(), 'no "Up to date" line after training anew').toBe(0);
    console.info(`status after "Train anyway": ${await statusText(page)}`);
  });

  test('3. "Verify store" names a corrupted file and the versions it affects', async () => {
    const { page } = await app();
    const clean = await verifyStore(page);
    expect(clean.ok, `Verify result before the damage: ${clean.text}`).toBe(true);
    // Replaced runs (test 2's "Train anyway") are unreachable until Clean up: a finding, not a problem.
    expect(clean.text).toMatch(/^Store verified: .* no problems\.( Finding: .* is used by no version, workspace, stash or run: .* Clean up frees it\.)?$/);

    // A file both versions hold: the first train/sandal image of data.zip.
    const files = unzipSync(new Uint8Array(readFileSync(DATA())));
    const path = Object.keys(files).filter((name) => /^data\/train\/sandal\/[^/]+$/.test(name)).sort()[0]!;
    const sha = createHash('sha256').update(files[path]!).digest('hex');
    const original = await corruptBlob(page, sha);
    expect(original.length, 'the stored bytes were those of the file').toBe(files[path]!.length);
    try {
      const damaged = await verifyStore(page);
      console.info(`Verify result with ${path} (${sha.slice(0, 12)}…) damaged: ${damaged.text}`);
      expect(damaged.ok, 'Verify store reports the damage as an alert').toBe(false);
      expect(damaged.text).toContain(sha.slice(0, 12));
      expect(damaged.text, 'the damaged file is named with the versions it affects').toMatch(/affects (v1\.0, v2\.0|v2\.0, v1\.0)/);
      const relpath = path.slice('data/'.length);
      expect(damaged.text, `the alert names the damaged file by its path (${relpath}), not only by its hash`).toContain(relpath);
    } finally {
      await corruptBlob(page, sha, original);
    }
    // A file only v2.0 holds (new-labels.zip): only v2.0 is named.
    const newFiles = unzipSync(new Uint8Array(readFileSync(NEW_LABELS())));
    const newPath = Object.keys(newFiles).filter((name) => /^data\/train\/sneaker\/[^/]+$/.test(name)).sort()[0]!;
    const newSha = createHash('sha256').update(newFiles[newPath]!).digest('hex');
    const newOriginal = await corruptBlob(page, newSha);
    try {
      const damaged = await verifyStore(page);
      console.info(`Verify result with ${newPath} damaged: ${damaged.text}`);
      expect(damaged.ok).toBe(false);
      expect(damaged.text).toContain(`Corrupt file ${newPath.slice('data/'.length)}`);
      expect(damaged.text).toContain(newSha.slice(0, 12));
      expect(damaged.text).toMatch(/\(affects v2\.0\)/);
    } finally {
      await corruptBlob(page, newSha, newOriginal);
    }

    const again = await verifyStore(page);
    expect(again.ok, `Verify result after restoring the bytes: ${again.text}`).toBe(true);
    // The versions themselves are untouched.
    expect((await timeline(page)).map((item) => item.tags[0])).toEqual(['v2.0', 'v1.0']);
    await versionItem(page, 'v1.0').waitFor();
  });
});
