// "Download app" of a pretrained-features version (a backbone and the head trained on its
// features), from the timeline, for a version in no stage: the app holds one tfjs model (the
// backbone joined with its head, as "Download model" gives it), runs it on WebAssembly from a
// plain static host (Python's http.server), and shows the probabilities Pawprint's "Classify an
// image" shows — which runs the backbone through its own inference plan, then the head — to 1e-5.
import { join } from 'node:path';
import { strFromU8 } from 'fflate';
import { afterAll, describe, expect, test } from 'vitest';
import { serveFolder } from '../harness/static-server.mjs';
import { classifyInApp, classifyInPawprint, largestDifference, releaseLine, unzipTo } from './deploy-helpers';
import { downloadsOf } from './exchange-helpers';
import { browsers, tempDir } from './fixtures';
import { backboneNote, chooseModel } from './pretrained-helpers';
import { FASHION, importZip, setInputs, subsetZip, trainButton, validationImage } from './training-helpers';
import { commitOk, trainAndWait, versionItem } from './versions-helpers';

const session = browsers({ perTest: false });
const folders = tempDir('pawprint-app-features-');
afterAll(() => folders.remove());

describe('Download app of a pretrained-features version', () => {
  test('the backbone and head run in the app from a static host with the probabilities the page shows (1e-5)', async () => {
    const { page } = await session.open();
    await importZip(page, { name: 'small.zip', bytes: subsetZip(FASHION(), { train: 16, validation: 6 }) });
    await chooseModel(page, 'Pretrained features');
    await backboneNote(page);
    await setInputs(page, { epochs: 2, backend: 'WASM' });
    await trainAndWait(page, () => trainButton(page).click());
    await commitOk(page, 'Head on MobileNetV2 features', 'v1.0');

    const files = await downloadsOf(page, 'Download app', 1, versionItem(page, 'v1.0'));
    const [name, zip] = [...files][0]!;
    expect(name).toBe('pawprint-v1.0-app.zip');
    const dir = join(folders.dir, 'v1.0');
    const unzipped = unzipTo(dir, zip);
    expect(JSON.parse(strFromU8(unzipped['model/metadata.json']!))).toMatchObject({ architecture: 'pretrained-features', imageSize: 160, labels: ['sandal', 'sneaker'] });
    expect(JSON.parse(strFromU8(unzipped['release.json']!))).toMatchObject({ version: { label: 'v1.0', message: 'Head on MobileNetV2 features' }, stages: [] });

    const site = await serveFolder(dir);
    const deployed = await page.context().newPage();
    try {
      await deployed.goto(`${site.url}/`);
      await expect.poll(() => releaseLine(deployed).innerText(), { timeout: 120_000 }).toMatch(/^Model v1\.0 · “Head on MobileNetV2 features” · .+ · runs on WebAssembly$/);
      for (const image of [validationImage(FASHION(), 'sandal', 8), validationImage(FASHION(), 'sneaker', 9)]) {
        const inPage = await classifyInPawprint(page, image);
        expect(largestDifference(inPage, await classifyInApp(deployed, image, 2)), image.name).toBeLessThan(1e-5);
      }
      expect(await deployed.getByRole('alert').isHidden()).toBe(true);
    } finally {
      await deployed.close();
      await site.close();
    }
  });
});
