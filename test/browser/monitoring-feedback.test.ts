// Batch predict, the monitoring panel and the feedback loop, through the page. One profile
// trains a Fashion-MNIST subset (sandal/sneaker, 200 + 20 per class, 28 px, 5 epochs on WASM:
// seconds here), commits v1.0 and puts it in production. A labelled folder of 24 validation
// images the model never saw (12 per class, in folders named after the classes) plus a damaged
// PNG, a text file and macOS litter is batch-predicted with the default (production) model:
// the panel's figures are checked against its own predictions table and an independent PSI,
// the errors are named, the CSV export holds every row. A batch of sandals alone is flagged as
// drift; a folder with no usable image is refused, naming its files. Then "Correct label" on
// three batch images, a classified image and a confident mistake: the workspace says
// "5 feedback images", v3.0 is trained and committed with them, and Compare shows where each
// came from.
import { strFromU8 } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { classify, downloadsOf } from './exchange-helpers';
import { browsers, tempDir } from './fixtures';
import { FASHION, evaluationRegion, importZip, setInputs, subsetZip, trainButton, validationImage } from './training-helpers';
import { commitOk, comparison, readTable, statusText, tickCompare, timeline, trainAndWait, versionItem } from './versions-helpers';

const session = browsers({ perTest: false });
const folders = tempDir('pawprint-batch-');
afterAll(() => folders.remove());

const monitoring = (page: Page) => page.getByRole('region', { name: 'Monitoring', exact: true });
const figures = (page: Page) => monitoring(page).getByRole('region', { name: 'Batch figures', exact: true });
const text = async (locator: Locator) => (await locator.innerText()).replace(/\s+/g, ' ').trim();

/** Validation images 30…30+n of a class: past the 20 the training subset takes, so new to the model. */
const unseen = (label: string, n: number) => Array.from({ length: n }, (_, i) => validationImage(FASHION(), label, 30 + i));

/** A PNG cut short and padded with junk: its signature says PNG, the browser cannot decode it. */
function brokenPng(): Uint8Array {
  const png = unseen('sandal', 13)[12]!.buffer;
  return Uint8Array.from([...png.subarray(0, 60), ...new Uint8Array(200).fill(7)]);
}

/** Presses "Batch predict a folder" with `folder` and waits for the batch's result. */
async function predictFolder(page: Page, folder: string): Promise<string> {
  await monitoring(page).getByLabel('Batch predict a folder', { exact: true }).setInputFiles(folder);
  const result = monitoring(page).getByRole('status', { name: 'Batch result', exact: true });
  const alert = monitoring(page).getByRole('alert').filter({ hasText: 'Batch predict' });
  await Promise.race([result.waitFor({ timeout: 120_000 }), alert.waitFor({ timeout: 120_000 })]);
  if (await alert.count()) throw new Error(await alert.innerText());
  return text(result);
}

/** The predictions table: file, predicted, confidence, label per row. */
async function predictions(page: Page): Promise<{ file: string; predicted: string; confidence: number; label: string }[]> {
  const table = await readTable(monitoring(page).getByRole('table', { name: 'Predictions', exact: true }));
  return table.rows.map((row) => ({ file: row[1]!, predicted: row[2]!, confidence: Number(row[3]!.replace(' %', '')) / 100, label: row[4]! }));
}

/** Σ (a − e) ln(a / e) over shares, 1e-4 floor: computed here, not by the app. */
function psi(observed: number[], expected: number[]): number {
  const shares = (counts: number[]) => counts.map((n) => Math.max(1e-4, n / counts.reduce((s, m) => s + m, 0)));
  const [a, e] = [shares(observed), shares(expected)];
  return a.reduce((sum, share, i) => sum + (share - e[i]!) * Math.log(share / e[i]!), 0);
}

/** "Correct label" on a row (or item), with the right label; returns what the page then says of it. */
async function correct(scope: Locator, label: string, split?: string): Promise<string> {
  await scope.getByRole('button', { name: 'Correct label', exact: true }).click();
  await scope.getByRole('combobox', { name: 'Right label', exact: true }).selectOption(label);
  if (split) await scope.getByRole('combobox', { name: 'Split', exact: true }).selectOption(split);
  await scope.getByRole('button', { name: 'Add to data set', exact: true }).click();
  const done = scope.getByRole('status').filter({ hasText: 'as feedback' });
  const failed = scope.getByRole('alert');
  await Promise.race([done.waitFor(), failed.waitFor()]);
  if (await failed.count()) throw new Error(await failed.innerText());
  return text(done);
}

describe('batch predict, monitoring and feedback', () => {
  let page: Page;

  test('a labelled folder with damaged files: predictions, latency, errors by name, distribution with PSI, confidence, accuracy, CSV', async () => {
    ({ page } = await session.open());
    await importZip(page, { name: 'small.zip', bytes: subsetZip(FASHION(), { train: 200, validation: 20 }) });
    await setInputs(page, { imageSize: 28, epochs: 5, backend: 'WASM' });
    await trainAndWait(page, () => trainButton(page).click());
    await evaluationRegion(page).getByRole('spinbutton', { name: 'Threshold', exact: true }).fill('0.4');
    await commitOk(page, 'First model', 'v1.0');
    const registry = page.getByRole('region', { name: 'Registry', exact: true });
    await registry.getByRole('button', { name: 'Assign stage', exact: true }).click();
    await registry.getByRole('status', { name: 'Registry result', exact: true }).waitFor();

    const folder = `${folders.dir}/batch`;
    for (const label of ['sandal', 'sneaker']) for (const image of unseen(label, 12)) folders.write(`batch/${label}/${image.name}`, image.buffer);
    folders.write('batch/broken.png', brokenPng());
    folders.write('batch/notes.txt', new TextEncoder().encode('shot on Tuesday'));
    folders.write('batch/.DS_Store', new Uint8Array([0, 0, 0, 1]));

    const model = monitoring(page).getByRole('combobox', { name: 'Model to predict with', exact: true });
    expect(await model.locator('option:checked').innerText()).toBe('v1.0 (production) — First model');
    expect(await predictFolder(page, folder)).toBe('Predicted 24 images of batch/ with v1.0; 2 files could not be used.');

    const rows = await predictions(page);
    expect(rows).toHaveLength(24);
    expect(new Set(rows.map((row) => row.label))).toEqual(new Set(['sandal', 'sneaker']));
    const latency = await text(figures(page).getByLabel('Latency', { exact: true }));
    expect(latency).toMatch(/^24 images predicted on wasm · latency per image p50 [\d.]+ ms · p95 [\d.]+ ms · p99 [\d.]+ ms · [\d.]+ images\/s$/);
    const [p50, p95, p99] = [...latency.matchAll(/p\d\d ([\d.]+) ms/g)].map((m) => Number(m[1]));
    expect(p50! <= p95! && p95! <= p99!).toBe(true);

    const errors = await text(figures(page).getByRole('region', { name: 'Batch errors', exact: true }));
    expect(errors).toBe(
      '2 files could not be used: batch/broken.png: could not be decoded (The source image could not be decoded.) batch/notes.txt: not an image Pawprint reads (JPEG, PNG, WebP, GIF or BMP)',
    );

    const distribution = await readTable(figures(page).getByRole('table', { name: 'Predicted vs training distribution', exact: true }));
    const predictedCounts = ['sandal', 'sneaker'].map((label) => rows.filter((row) => row.predicted === label).length);
    expect(distribution.rows.map((row) => [row[0], Number(row[1]), Number(row[3])])).toEqual([
      ['sandal', predictedCounts[0], 200],
      ['sneaker', predictedCounts[1], 200],
    ]);
    const drift = await text(figures(page).getByRole('status', { name: 'Drift', exact: true }));
    const shownPsi = Number(/PSI ([\d.]+)/.exec(drift)![1]);
    expect(shownPsi).toBeCloseTo(psi(predictedCounts, [200, 200]), 3);
    expect(drift.startsWith(shownPsi > 0.1 ? 'Drift:' : 'No drift:')).toBe(true);
    expect(drift.endsWith('With fewer than 100 images the index is noisy.')).toBe(true);

    const histogram = await readTable(figures(page).getByRole('table', { name: 'Confidence histogram', exact: true }));
    const binned = new Array<number>(10).fill(0);
    for (const row of rows) binned[Math.min(9, Math.floor(row.confidence * 10))]! += 1;
    // The table shows confidence rounded to 0.1 %: a value on a bin edge may land either side, so compare totals and the low-confidence count.
    expect(histogram.rows.reduce((sum, row) => sum + Number(row[1]!.trim()), 0)).toBe(24);
    const low = rows.filter((row) => row.confidence < 0.6).length;
    expect(await text(figures(page).getByLabel('Low confidence', { exact: true }))).toBe(`Low confidence (top probability below 0.6): ${low} of 24 (${((low / 24) * 100).toFixed(1)} %).`);
    const right = rows.filter((row) => row.predicted === row.label).length;
    expect(await text(figures(page).getByLabel('Labelled accuracy', { exact: true }))).toMatch(
      new RegExp(`^Accuracy on the 24 labelled images: ${((right / 24) * 100).toFixed(1)} % \\(${right} right\\) against [\\d.]+ % on v1\\.0’s validation images \\([+−][\\d.]+ points\\)\\.$`),
    );

    // Thumbnails come from the stored images.
    const thumb = monitoring(page).getByRole('img', { name: rows[0]!.file, exact: true });
    await expect.poll(() => thumb.evaluate((img) => (img as HTMLImageElement).naturalWidth), { timeout: 10_000 }).toBe(28);

    const csv = strFromU8((await downloadsOf(page, 'Download CSV', 1, monitoring(page))).values().next().value!).split('\r\n');
    expect(csv[0]).toBe('file,sha256,label,predicted,confidence,latency_ms,p_sandal,p_sneaker,error');
    expect(csv.filter((line) => line.startsWith('batch/')).length).toBe(26);
    expect(csv.at(-2)).toBe('batch/notes.txt,,,,,,,,"not an image Pawprint reads (JPEG, PNG, WebP, GIF or BMP)"');
    const json = JSON.parse(strFromU8((await downloadsOf(page, 'Download JSON', 1, monitoring(page))).values().next().value!));
    expect(json).toMatchObject({ kind: 'monitoring', name: 'batch/', classNames: ['sandal', 'sneaker'], summary: { images: 24, errors: 2 } });
    // The images count in v1.0's storage.
    expect((await timeline(page))[0]!.meta).toMatch(/\(monitoring images: [\d.]+ KB\)/);
  });

  test('a batch of sandals alone is spread unlike the training data: drift is flagged', async () => {
    for (const image of unseen('sandal', 20)) folders.write(`sandals/${image.name}`, image.buffer);
    expect(await predictFolder(page, `${folders.dir}/sandals`)).toBe('Predicted 20 images of sandals/ with v1.0.');
    const rows = await predictions(page);
    const counts = ['sandal', 'sneaker'].map((label) => rows.filter((row) => row.predicted === label).length);
    const drift = await text(figures(page).getByRole('status', { name: 'Drift', exact: true }));
    expect(Number(/PSI ([\d.]+)/.exec(drift)![1])).toBeCloseTo(psi(counts, [200, 200]), 3);
    // Unlabelled: no accuracy. The model calls most of them sandals, far from the training's half.
    expect(await figures(page).getByLabel('Labelled accuracy', { exact: true }).count()).toBe(0);
    expect(counts[0]).toBeGreaterThan(15);
    expect(drift).toMatch(/^Drift: PSI [\d.]+, above 0\.1(, a significant shift \(over 0\.25\))?\. This batch’s predictions are spread unlike the training data\./);
    // The earlier batch is still there to choose.
    const batches = monitoring(page).getByRole('combobox', { name: 'Batch', exact: true });
    expect(await batches.locator('option').count()).toBe(2);
  });

  test('a folder in which nothing can be predicted is refused with what was wrong, and no batch is kept', async () => {
    folders.write('litter/broken.png', brokenPng());
    folders.write('litter/notes.txt', new TextEncoder().encode('shot on Tuesday'));
    await expect(predictFolder(page, `${folders.dir}/litter`)).rejects.toThrow(
      /^Batch predict failed: No image in litter\/ could be predicted, so no batch was kept\. 2 files could not be used: litter\/broken\.png: could not be decoded \(.+\); litter\/notes\.txt: not an image Pawprint reads \(JPEG, PNG, WebP, GIF or BMP\)\.$/,
    );
    expect(await monitoring(page).getByRole('combobox', { name: 'Batch', exact: true }).locator('option').count()).toBe(2);
    // The batch shown before is still shown.
    expect(await predictions(page)).toHaveLength(20);
  });

  test('images dropped on the batch zone are a batch, not an import', async () => {
    const images = unseen('sneaker', 2);
    const zone = monitoring(page).getByRole('group', { name: 'Batch to predict', exact: true });
    const transfer = await page.evaluateHandle(
      (given: { name: string; base64: string }[]) => {
        const dt = new DataTransfer();
        for (const file of given) dt.items.add(new File([Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))], file.name, { type: 'image/png' }));
        return dt;
      },
      images.map((image) => ({ name: image.name, base64: image.buffer.toString('base64') })),
    );
    for (const type of ['dragenter', 'dragover', 'drop']) await zone.dispatchEvent(type, { dataTransfer: transfer });
    await transfer.dispose();
    const result = monitoring(page).getByRole('status', { name: 'Batch result', exact: true });
    await expect.poll(() => result.innerText(), { timeout: 60_000 }).toBe('Predicted 2 images of 2 files with v1.0.');
    // The page's own drop (an import into the data set) did not happen.
    expect(await page.getByRole('region', { name: 'Review import', exact: true }).count()).toBe(0);
    expect(await page.locator('.drop-overlay').count()).toBe(0);
    expect(await predictions(page)).toHaveLength(2);
  });

  test('Correct label on three batch images, a classified image and a confident mistake; v3.0 records them and Compare shows where they came from', async () => {
    const batches = monitoring(page).getByRole('combobox', { name: 'Batch', exact: true });
    await batches.selectOption({ index: 2 });
    await expect.poll(async () => (await predictions(page)).length).toBe(24);
    const table = monitoring(page).getByRole('table', { name: 'Predictions', exact: true });
    const rows = await predictions(page);
    for (const row of rows.slice(0, 3)) {
      const said = await correct(table.getByRole('row').filter({ hasText: row.file }), row.label);
      expect(said).toMatch(new RegExp(`^Added to train/${row.label}/${row.file.split('/').at(-1)!.replace('.', '\\.')} as feedback \\(\\d in the workspace, not committed\\)\\.$`));
    }
    await expect.poll(() => statusText(page)).toMatch(/^\+3 files in train\/\w+.*, 3 feedback images, model trained on other data$/);

    const picked = validationImage(FASHION(), 'sneaker', 60);
    await classify(page, picked);
    const tryIt = page.getByRole('region', { name: 'Try the model', exact: true });
    expect(await correct(tryIt, 'sneaker')).toBe(`Added to train/sneaker/${picked.name} as feedback (4 in the workspace, not committed).`);

    const mistakes = evaluationRegion(page).getByRole('list', { name: 'Most confident mistakes', exact: true });
    const mistake = mistakes.getByRole('listitem').first();
    const trueLabel = /true: (\w+)/.exec(await mistake.innerText())![1]!;
    const said = await correct(mistake, trueLabel === 'sandal' ? 'sneaker' : 'sandal');
    expect(said).toMatch(/^Moved to validation\/(sandal|sneaker)\/.+ as feedback \(5 in the workspace, not committed\)\.$/);
    await expect.poll(() => statusText(page)).toMatch(/, 5 feedback images, model trained on other data$/);

    await setInputs(page, { epochs: 1 });
    await trainAndWait(page, () => trainButton(page).click());
    await commitOk(page, 'Corrected labels', 'v3.0');
    expect(await statusText(page)).toBe('Up to date with v3.0');
    expect((await timeline(page))[0]!.meta).toMatch(/· 5 from feedback/);

    await tickCompare(page, 'v1.0');
    await tickCompare(page, 'v3.0');
    const fromFeedback = await readTable(comparison(page).getByRole('table', { name: 'Files from feedback', exact: true }));
    expect(fromFeedback.rows).toHaveLength(5);
    expect(fromFeedback.rows.filter((row) => row[3] === 'batch batch/')).toHaveLength(3);
    expect(fromFeedback.rows.filter((row) => row[3] === 'Classify an image')).toHaveLength(1);
    expect(fromFeedback.rows.filter((row) => row[3] === 'most confident mistakes')).toHaveLength(1);
    expect(await text(comparison(page).getByLabel('Feedback summary', { exact: true }))).toBe(
      'v3.0: 5 files from feedback — 3 from batch batch/, 1 from Classify an image, 1 from most confident mistakes.',
    );
    expect(await versionItem(page, 'v3.0').count()).toBe(1);

    // Another model than production's, chosen in "Model to predict with": the batch is kept with that version.
    await monitoring(page).getByRole('combobox', { name: 'Model to predict with', exact: true }).selectOption({ label: 'v3.0 — Corrected labels' });
    expect(await predictFolder(page, `${folders.dir}/sandals`)).toBe('Predicted 20 images of sandals/ with v3.0.');
    expect(await batches.locator('option:checked').innerText()).toMatch(/^sandals\/ · v3\.0 · .+ · 20 images$/);
    const distribution = await readTable(figures(page).getByRole('table', { name: 'Predicted vs training distribution', exact: true }));
    // v3.0 trained on the corrected data set: three batch images and a classified one joined train.
    expect(distribution.rows.reduce((sum, row) => sum + Number(row[3]), 0)).toBe(404);
  });
});
