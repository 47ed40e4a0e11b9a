// "Import model" through the UI: a small Fashion-MNIST model trained one epoch on WASM and
// downloaded in one browser profile, then imported with the same data into a fresh profile,
// where it classifies as it did where it was trained, can be committed, and where damaged
// files are refused in the page with nothing stored.
import { strFromU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { classify, downloadsOf } from './exchange-helpers';
import { browsers } from './fixtures';
import { FASHION, alerts, importZip, setInputs, storedRun, subsetZip, trainButton, usage, validationImage, waitForResult } from './training-helpers';

const session = browsers({ perTest: false });

const IMAGES = () => [validationImage(FASHION(), 'sandal', 3), validationImage(FASHION(), 'sneaker', 3)];

function importModelInput(page: Page) {
  return page.getByLabel('Import model', { exact: true });
}

async function pickModelFiles(page: Page, files: Map<string, Uint8Array>): Promise<void> {
  await importModelInput(page).setInputFiles([...files].map(([name, bytes]) => ({ name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) })));
}

describe('importing a downloaded model', () => {
  let fresh: Page;
  let downloaded: Map<string, Uint8Array>;

  test('a model downloaded in one browser classifies the same after Import model in a fresh one', async () => {
    const data = subsetZip(FASHION(), { train: 40, validation: 20 });
    const { page: trainedIn } = await session.open();
    await importZip(trainedIn, { name: 'small.zip', bytes: data });
    await setInputs(trainedIn, { imageSize: 22, epochs: 1, backend: 'WASM' });
    await trainButton(trainedIn).click();
    await waitForResult(trainedIn);
    downloaded = await downloadsOf(trainedIn, 'Download model', 3);
    const expected: { label: string; probability: number }[][] = [];
    for (const image of IMAGES()) expected.push(await classify(trainedIn, image));

    ({ page: fresh } = await session.open());
    await importZip(fresh, { name: 'small.zip', bytes: data });
    expect(await storedRun(fresh), 'no result before the import').toBeNull();
    await pickModelFiles(fresh, downloaded);
    const imported = fresh.getByRole('region', { name: 'Imported model', exact: true });
    await imported.waitFor();
    const metadata = JSON.parse(strFromU8(downloaded.get('metadata.json')!));
    expect(await imported.innerText()).toContain(`From version ${metadata.version.id.slice(0, 8)}`);
    expect(await imported.innerText()).toContain('Trained on this data set (120 files');
    expect(await alerts(fresh)).toBe('');

    for (const [i, image] of IMAGES().entries()) {
      const shown = await classify(fresh, image);
      expect(shown[0]!.label, `top label of ${image.name}`).toBe(expected[i]![0]!.label);
      shown.forEach(({ label, probability }, j) => {
        expect(label).toBe(expected[i]![j]!.label);
        expect(probability).toBeCloseTo(expected[i]![j]!.probability, 3);
      });
    }

    const run = await storedRun(fresh);
    expect(run?.version.run).toMatchObject({ imported: true, from: metadata.version.id, sameDataset: true, classNames: ['sandal', 'sneaker'] });
    expect(run?.version.metrics).toEqual(metadata.metrics);
    expect(run?.model?.weights).toBe(metadata.weights.sha256);
    expect(run?.weightsBytes).toBe(downloaded.get('weights.bin')!.byteLength);

    // What a commit would mean is plain: the imported model with this data, as a version.
    await fresh.getByLabel('Message').fill('Imported from the other browser');
    await fresh.getByRole('button', { name: 'Commit' }).click();
    await fresh.getByRole('list', { name: 'Versions' }).getByRole('listitem').filter({ hasText: 'Imported from the other browser' }).waitFor();
  });

  test('a damaged weights.bin and an unknown metadata schema are refused in the page, and nothing changes', async () => {
    const before = { run: await storedRun(fresh), usage: await usage(fresh) };
    const damaged = new Map(downloaded);
    const weights = downloaded.get('weights.bin')!.slice();
    weights[1000]! ^= 0xff;
    damaged.set('weights.bin', weights);
    await pickModelFiles(fresh, damaged);
    await expect.poll(() => alerts(fresh)).toMatch(
      /^Model not imported: weights\.bin’s SHA-256 is [0-9a-f]{12}…, but metadata\.json records [0-9a-f]{12}…: the file was changed or damaged, or belongs to another model\. Nothing was stored; the previous result is kept\.$/,
    );

    const newer = new Map(downloaded);
    newer.set('metadata.json', Buffer.from(JSON.stringify({ ...JSON.parse(strFromU8(downloaded.get('metadata.json')!)), schema: 2 })));
    await pickModelFiles(fresh, newer);
    await expect.poll(() => alerts(fresh)).toMatch(/^Model not imported: metadata\.json has schema version 2, which this Pawprint does not know/);

    await pickModelFiles(fresh, new Map([...downloaded].filter(([name]) => name !== 'weights.bin')));
    await expect.poll(() => alerts(fresh)).toMatch(/^Model not imported: Missing weights\.bin: pick model\.json, weights\.bin and metadata\.json together/);

    expect(await storedRun(fresh)).toEqual(before.run);
    expect(await usage(fresh)).toEqual(before.usage);
    // The earlier import is still the result, and still classifies.
    await fresh.getByRole('region', { name: 'Imported model', exact: true }).waitFor();
    expect((await classify(fresh, IMAGES()[0]!)).length).toBe(2);
  });
});
