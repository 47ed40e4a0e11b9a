// Stop: a run stopped by the user ends before its last epoch (within a batch: the loop's unit test), stores nothing by itself, and then
// either keeps the finished epochs as a result ("Keep finished epochs") or leaves the store as
// it was ("Discard"). One browser for the file, one import: a subset of the real Fashion-MNIST
// pair (150 train + 50 validation per class) at 22×22 on WASM, so an epoch takes ~2–3 s and
// a 5-epoch run is long enough to stop after its first epoch.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import type { OpenedApp } from './app';
import { HANG, browsers } from './fixtures';
import {
  FASHION,
  PROGRESS_TEXT,
  evaluationRegion,
  expectSaneRow,
  expectStoredRun,
  importZip,
  metricsTable,
  progressLine,
  setInputs,
  storedRun,
  subsetZip,
  trainButton,
  usage,
  waitForResult,
} from './training-helpers';

const session = browsers({ perTest: false });
const CLASSES = ['sandal', 'sneaker'];
const EPOCHS = 5;
const SIZE = 22;

let opened: OpenedApp | undefined;
async function page(): Promise<Page> {
  if (!opened) {
    opened = await session.open();
    await importZip(opened.page, { name: 'fashion-subset.zip', bytes: subsetZip(FASHION(), { train: 150, validation: 50 }) });
    await setInputs(opened.page, { imageSize: SIZE, epochs: EPOCHS, backend: 'WASM' });
  }
  return opened.page;
}

/**
 * Presses Stop in the page, from a MutationObserver set up before Train is pressed, as soon as
 * the first progress line shows (`'batch'`) or the second epoch's does (`'epoch'`):
 * Playwright's own click can take a second on a loaded machine, and a fast one can finish the
 * epoch (or the run) meanwhile, so whether Stop came in time would depend on the machine. How
 * soon a stop lands in the worker is the loop's design (it checks between batches:
 * test/unit/train-loop.test.ts). Resolves with the progress line Stop was pressed on.
 */
function stopInPage(p: Page, at: 'batch' | 'epoch'): Promise<string> {
  return p.evaluate(
    ({ at, source }) =>
      new Promise<string>((resolve) => {
        const pattern = new RegExp(source);
        const observer = new MutationObserver(() => {
          const line = [...document.querySelectorAll('[aria-live]')].map((el) => el.textContent ?? '').find((text) => pattern.test(text));
          // The second epoch's progress: the first is in the Metrics table (a previous run's rows are gone by then).
          const epoch = Number(line ? pattern.exec(line)![1] : 0);
          const stop = [...document.querySelectorAll('button')].find((b) => b.textContent?.trim() === 'Stop' && !b.disabled);
          if (!line || !stop || (at === 'epoch' && epoch < 2)) return;
          observer.disconnect();
          stop.click();
          resolve(line.trim());
        });
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
    { at, source: PROGRESS_TEXT.source },
  );
}

/** Trains with Stop pressed in the page `at` the first batch or epoch; waits for the stopped phase. */
async function trainAndStop(p: Page, at: 'batch' | 'epoch'): Promise<string> {
  const pressed = stopInPage(p, at);
  await trainButton(p).click();
  const line = await pressed;
  await p.getByRole('button', { name: 'Discard', exact: true }).waitFor({ timeout: HANG });
  return line;
}

function stoppedLine(p: Page) {
  return p.getByText(/^Stopped (after \d+ finished epochs?\.|before the first epoch finished: there is nothing to keep\.)$/);
}

describe('training: Stop, then keep the finished epochs or discard', () => {
  test('Stop after the first epoch ends the run before its last epoch and stores nothing; "Keep finished epochs" stores just those epochs', async () => {
    const p = await page();
    const before = await usage(p);
    expect(await storedRun(p)).toBeNull();

    await trainAndStop(p, 'epoch');

    const { rows } = await metricsTable(p);
    const finished = rows.length;
    expect(finished, 'finished epochs when stopped').toBeGreaterThanOrEqual(1);
    expect(finished).toBeLessThan(EPOCHS);
    expect(await stoppedLine(p).innerText()).toBe(`Stopped after ${finished} finished epoch${finished === 1 ? '' : 's'}.`);
    rows.forEach((row, i) => expectSaneRow(row, `Metrics row ${i}`));
    expect(rows.map((row) => row.epoch)).toEqual([...Array(finished).keys()]);
    // Nothing half-written: the store is as before until the user decides.
    expect(await usage(p), 'store usage after Stop, before deciding').toEqual(before);
    expect(await storedRun(p)).toBeNull();
    expect(await progressLine(p).count(), 'no live progress once stopped').toBe(0);

    await p.getByRole('button', { name: 'Keep finished epochs', exact: true }).click();
    await waitForResult(p);
    const kept = await metricsTable(p);
    expect(kept.cells.length).toBe(finished);
    const after = await usage(p);
    expect(after.objects - before.objects, 'objects stored by keeping (model + run)').toBeGreaterThanOrEqual(2);
    const run = await storedRun(p);
    expectStoredRun(run, kept.rows, { backend: 'wasm', epochs: EPOCHS, imageSize: SIZE, classes: CLASSES });
    expect(run.version.history.length, 'stored epochs').toBe(finished);
    expect(run.version.run.stopped, 'the run records that it was stopped').toBe(true);
    expect(await evaluationRegion(p).getByText(/^Trained on wasm/).count()).toBe(1);
    expect(await p.getByRole('alert').allInnerTexts()).toEqual([]);
  });

  test('Stop, then "Discard": nothing new is stored and the previous result stays', async () => {
    const p = await page();
    const previous = await storedRun(p);
    const previousTable = await metricsTable(p);
    const before = await usage(p);

    // A seed no run used yet: the same inputs as a stored run would reuse it (the run cache).
    await setInputs(p, { seed: 7 });
    // The table empties for the new run before its progress line shows; Stop once its first epoch is in.
    await trainAndStop(p, 'epoch');
    await p.getByRole('button', { name: 'Discard', exact: true }).click();

    await expect.poll(() => p.getByRole('button', { name: 'Discard', exact: true }).count()).toBe(0);
    expect(await usage(p), 'store usage after Discard').toEqual(before);
    expect((await storedRun(p))?.runId, 'workspace-run after Discard').toBe(previous?.runId);
    expect((await metricsTable(p)).cells, 'the Metrics table shows the previous result again').toEqual(previousTable.cells);
    await evaluationRegion(p).waitFor();
    expect(await trainButton(p).isEnabled()).toBe(true);
  });

  test('Stop before the first epoch finishes: nothing to keep, Discard leaves the store as it was', async () => {
    const p = await page();
    const previous = await storedRun(p);
    const before = await usage(p);
    // A seed no run used yet: the same inputs as a stored run would reuse it (the run cache). Batches of
    // one make the first epoch 300 steps, and Stop is pressed in the page at the first batch's progress line.
    await setInputs(p, { seed: 8, batchSize: 1 });
    expect(await trainAndStop(p, 'batch')).toMatch(/Epoch 1 \/ 5 · batch \d+ \/ 300 /);
    expect(await stoppedLine(p).innerText()).toBe('Stopped before the first epoch finished: there is nothing to keep.');
    expect(await p.getByRole('button', { name: 'Keep finished epochs', exact: true }).count()).toBe(0);
    await p.getByRole('button', { name: 'Discard', exact: true }).click();
    expect(await usage(p)).toEqual(before);
    expect((await storedRun(p))?.runId).toBe(previous?.runId);
    expect(opened!.pageErrors).toEqual([]);
    expect(opened!.consoleErrors).toEqual([]);
  });
});
