// The Pipeline region: `dvc status` of each stage (import → validate → preprocess → train →
// evaluate) as the page changes — a run, another param in the form, new labels — and Reproduce,
// which runs only the stale stages. Small Fashion-MNIST subsets, WASM, 22 px, 1 epoch.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { HANG, browsers, dataset, expectNoAlerts } from './fixtures';
import { FASHION, importZip, setInputs, spinbutton, subsetZip, trainButton } from './training-helpers';
import { trainAndWait } from './versions-helpers';

const session = browsers({ perTest: false });

function pipelineRegion(page: Page) {
  return page.getByRole('region', { name: 'Pipeline', exact: true });
}

/** Each stage's status as the page shows it, in order. */
async function statuses(page: Page): Promise<Record<string, string>> {
  const stages = pipelineRegion(page).getByRole('list', { name: 'Stages', exact: true }).getByRole('listitem');
  const out: Record<string, string> = {};
  for (const stage of await stages.all()) {
    const name = (await stage.getAttribute('aria-label'))!.replace(/^Stage /, '');
    out[name] = (await stage.getByLabel(`Status of ${name}`, { exact: true }).innerText()).trim();
  }
  return out;
}

const allUpToDate = { import: 'up to date', validate: 'up to date', preprocess: 'up to date', train: 'up to date', evaluate: 'up to date' };

describe('pipeline: status and Reproduce', () => {
  test('after a run every stage is up to date; a param change stales train; new labels stale preprocess and train; Reproduce runs only those', async () => {
    const { page } = await session.open();
    await expect.poll(() => statuses(page)).toEqual({ import: 'not run', validate: 'not run', preprocess: 'not run', train: 'not run', evaluate: 'not run' });
    expect(await pipelineRegion(page).getByRole('button', { name: 'Reproduce', exact: true }).isDisabled(), 'Reproduce before any data').toBe(true);
    await pipelineRegion(page).getByText('No data yet: add images to start.').waitFor();

    await importZip(page, { name: 'fashion-small.zip', bytes: subsetZip(FASHION(), { train: 20, validation: 10 }) });
    await setInputs(page, { backend: 'WASM', imageSize: 22, epochs: 1 });
    await expect.poll(() => statuses(page), { timeout: HANG }).toEqual({ import: 'up to date', validate: 'up to date', preprocess: 'not run', train: 'not run', evaluate: 'not run' });
    // The data set's out is what `dvc add data` records: 60 files.
    expect(await pipelineRegion(page).getByRole('listitem', { name: 'Stage import', exact: true }).innerText()).toMatch(/data \([0-9a-f]{8}….dir, .+, 60 files\)/);

    await trainAndWait(page, () => trainButton(page).click());
    await expect.poll(() => statuses(page), { timeout: HANG }).toEqual(allUpToDate);

    // Another value in the form: train (and so evaluate) is changed, saying which param, old → new.
    await spinbutton(page, 'Epochs').fill('2');
    await expect.poll(() => statuses(page), { timeout: HANG }).toEqual({ ...allUpToDate, train: 'changed: params (epochs 1 → 2)', evaluate: 'changed: model' });
    await spinbutton(page, 'Epochs').fill('1');
    await expect.poll(() => statuses(page), { timeout: HANG }).toEqual(allUpToDate);

    // New labels: 10 more train images per class. The import checks them (validate up to date).
    await importZip(page, { name: 'new-labels-small.zip', bytes: subsetZip(dataset('fashion/new-labels.zip'), { train: 10, validation: 0 }) });
    const stale = { ...allUpToDate, preprocess: 'changed: data (+20 files)', train: 'changed: data (+20 files)', evaluate: 'changed: model' };
    await expect.poll(() => statuses(page), { timeout: HANG }).toEqual(stale);

    // Every progress bar the Pipeline region shows while reproducing, however briefly.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __stageBars: string[] }).__stageBars = seen;
      new MutationObserver(() => {
        for (const bar of document.querySelectorAll('#pipeline progress')) {
          const label = bar.getAttribute('aria-label') ?? '';
          if (!seen.includes(label)) seen.push(label);
        }
      }).observe(document.getElementById('pipeline')!, { childList: true, subtree: true });
    });
    await pipelineRegion(page).getByRole('button', { name: 'Reproduce', exact: true }).click();
    const result = pipelineRegion(page).getByRole('status', { name: 'Reproduce result', exact: true });
    await result.waitFor({ timeout: HANG });
    await expectNoAlerts(page, 'after Reproduce');
    expect(await result.innerText()).toBe('Reproduced: preprocess, train, evaluate ran; 2 stages up to date.');
    const runs: Record<string, string> = {};
    for (const name of Object.keys(allUpToDate)) runs[name] = (await pipelineRegion(page).getByLabel(`Reproduce: ${name}`, { exact: true }).innerText()).trim();
    expect(runs).toEqual({ import: 'up to date, skipped', validate: 'up to date, skipped', preprocess: 'done', train: 'done', evaluate: 'done' });
    // Progress per stage, in order, and only for the stages that ran.
    expect(await page.evaluate(() => (window as unknown as { __stageBars: string[] }).__stageBars)).toEqual(['Progress of preprocess', 'Progress of train', 'Progress of evaluate']);
    await expect.poll(() => statuses(page), { timeout: HANG }).toEqual(allUpToDate);

    // The run Reproduce made is the last run, trained on the 80 files.
    await expect.poll(() => page.getByRole('region', { name: 'Evaluation', exact: true }).count()).toBe(1);
    await pipelineRegion(page).getByRole('button', { name: 'Reproduce', exact: true }).click();
    await expect.poll(() => result.innerText()).toBe('Data and pipelines are up to date: nothing to reproduce.');
  });
});
