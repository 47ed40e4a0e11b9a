// The model registry and "Download app" through the page, as a person uses them. One profile
// trains a small Fashion-MNIST subset (sandal/sneaker, 28 px, WASM) twice: v1.0 is committed
// with a rule it fails (val_accuracy ≥ 0.999), v2.0 with one it passes. Promoting v1.0 to
// production is refused with the rule and its figure, then allowed with a written reason; v2.0
// is promoted. "Download app" of production is unzipped and served by a plain static host
// (Python's http.server, as the app's README says): the page there names the version, gives
// the same probabilities as Pawprint's "Classify an image" (1e-5), keeps working with the host
// gone (its service worker) and classifies the camera (Chromium's fake camera). A version in a
// stage cannot be deleted; assignments survive checkout and reload; a fresh profile that pulls
// from an HTTP remote (nginx) gets the same registry, and can take a version out of a stage; so
// does one that imports a bundle.
import { join } from 'node:path';
import { strFromU8 } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { startNginx } from '../harness/nginx.mjs';
import { serveFolder } from '../harness/static-server.mjs';
import { appUrl } from './app';
import { appClassifier, classifyInApp, classifyInPawprint, largestDifference, probabilitiesIn, releaseLine, unzipTo } from './deploy-helpers';
import { downloadsOf } from './exchange-helpers';
import { browsers, tempDir } from './fixtures';
import { FASHION, evaluationRegion, importZip, setInputs, subsetZip, trainButton, validationImage } from './training-helpers';
import { acceptNextDialog, checkout, commitOk, itemButton, outcome, reloadApp, trainAndWait, versionItem } from './versions-helpers';

const session = browsers({ perTest: false });
/** Chromium's fake camera, permission granted without a prompt. */
const CAMERA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const folders = tempDir('pawprint-app-');
afterAll(() => folders.remove());

function registry(page: Page): Locator {
  return page.getByRole('region', { name: 'Registry', exact: true });
}

function assignForm(page: Page): Locator {
  return registry(page).getByRole('form', { name: 'Assign a stage', exact: true });
}

/** Chooses the version and stage (and reason), presses "Assign stage", returns what the page said. */
async function assign(page: Page, version: string, stage: string, reason?: string): Promise<{ result: string | null; alert: string | null }> {
  const form = assignForm(page);
  await form.getByRole('combobox', { name: 'Version', exact: true }).selectOption({ label: version });
  await form.getByRole('combobox', { name: 'Stage', exact: true }).fill(stage);
  if (reason !== undefined) await form.getByRole('textbox', { name: 'Override reason', exact: true }).fill(reason);
  await form.getByRole('button', { name: 'Assign stage', exact: true }).click();
  const result = registry(page).getByRole('status', { name: 'Registry result', exact: true });
  const alert = registry(page).getByRole('alert');
  await Promise.race([result.waitFor(), alert.waitFor()]);
  await expect.poll(() => form.getByRole('button', { name: 'Assign stage', exact: true }).isEnabled()).toBe(true);
  return {
    result: (await result.count()) ? (await result.innerText()).trim() : null,
    alert: (await alert.count()) ? (await alert.innerText()).trim() : null,
  };
}

/** A table as rows of cell texts (header row excluded). */
function rowsOf(table: Locator): Promise<string[][]> {
  return table.evaluate((el) => Array.from((el as HTMLTableElement).tBodies[0]!.rows).map((row) => Array.from(row.cells).map((cell) => (cell.textContent ?? '').replace(/\s+/g, ' ').trim())));
}

const stagesTable = (page: Page) => registry(page).getByRole('table', { name: 'Stages', exact: true });
const historyTable = (page: Page) => registry(page).getByRole('table', { name: 'Assignment history', exact: true });

/** Stage → version label, as the Stages table shows them. */
async function stages(page: Page): Promise<Record<string, string>> {
  const rows = (await rowsOf(stagesTable(page))).filter((row) => row.length === 5);
  return Object.fromEntries(rows.map(([stage, version]) => [stage!, version!]));
}

describe('model registry and deploy', () => {
  let page: Page;
  const images = [validationImage(FASHION(), 'sandal', 1), validationImage(FASHION(), 'sandal', 7), validationImage(FASHION(), 'sneaker', 3), validationImage(FASHION(), 'sneaker', 9)];

  test('promotion to production: a model that fails its rule is stopped with the rule and figure, goes only with a written reason; v2.0 passes', async () => {
    ({ page } = await session.open({ extraArgs: CAMERA }));
    await importZip(page, { name: 'small.zip', bytes: subsetZip(FASHION(), { train: 40, validation: 20 }) });
    await setInputs(page, { imageSize: 28, epochs: 1, backend: 'WASM' });
    await trainAndWait(page, () => trainButton(page).click());
    const threshold = evaluationRegion(page).getByRole('spinbutton', { name: 'Threshold', exact: true });
    await threshold.fill('0.999');
    await commitOk(page, 'First model', 'v1.0');
    await setInputs(page, { epochs: 2 });
    await trainAndWait(page, () => trainButton(page).click());
    await threshold.fill('0.4');
    await commitOk(page, 'Two epochs', 'v2.0');

    await assignForm(page).getByRole('combobox', { name: 'Version', exact: true }).selectOption({ label: 'v1.0 — First model' });
    await assignForm(page).getByRole('combobox', { name: 'Stage', exact: true }).fill('production');
    const check = await assignForm(page).getByRole('status', { name: 'Acceptance check', exact: true }).innerText();
    expect(check).toMatch(/^Rule val_accuracy ≥ 0\.999 \(recorded with v1\.0\)\. Failed: val_accuracy is 0\.\d+, but the rule asks for at least 0\.999\. Production takes it only with a written reason\.$/);

    const refused = await assign(page, 'v1.0 — First model', 'production');
    expect(refused.result).toBeNull();
    expect(refused.alert).toMatch(
      /^v1\.0 was not promoted to production: it fails its acceptance rule\. Failed: val_accuracy is 0\.\d+, but the rule asks for at least 0\.999\. To promote it anyway, write the reason in “Override reason”\.$/,
    );
    expect(await stages(page)).toEqual({});
    // A stage name GTO would not take is refused before anything is written.
    const badName = await assign(page, 'v2.0 — Two epochs', 'Prod stage');
    expect(badName).toEqual({
      result: null,
      alert: '“Prod stage” cannot name a stage: use lowercase letters, digits, “-” and “/” (as GTO does), starting with a letter and ending with a letter or digit, e.g. staging or eu/production.',
    });
    expect(await stages(page)).toEqual({});

    const overridden = await assign(page, 'v1.0 — First model', 'production', 'Rollback drill before the v2.0 launch');
    expect(overridden).toEqual({ result: 'v1.0 is now in production (model#production#1), overriding its acceptance rule.', alert: null });
    const promoted = await assign(page, 'v2.0 — Two epochs', 'production');
    expect(promoted).toEqual({ result: 'v2.0 is now in production (model#production#2).', alert: null });
    const staged = await assign(page, 'v1.0 — First model', 'staging');
    expect(staged.result).toBe('v1.0 is now in staging (model#staging#3).');

    expect(await stages(page)).toEqual({ production: 'v2.0', staging: 'v1.0' });
    const history = await rowsOf(historyTable(page));
    expect(history.map((row) => [row[0], row[1], row[2], row[5]])).toEqual([
      ['model#staging#3', 'into staging', 'v1.0', ''],
      ['model#production#2', 'into production', 'v2.0', ''],
      ['model#production#1', 'into production', 'v1.0', 'Rollback drill before the v2.0 launch'],
    ]);
    expect(history[2]![4]).toMatch(/^val_accuracy 0\.\d+ ≥ 0\.999: failed$/);
    expect(history[1]![4]).toMatch(/^val_accuracy (0\.\d+|1) ≥ 0\.4: passed$/);
    // The timeline and the sidebar show the stages.
    await expect.poll(() => versionItem(page, 'v2.0').locator('.stage').allInnerTexts()).toEqual(['production']);
    expect(await versionItem(page, 'v1.0').locator('.stage').allInnerTexts()).toEqual(['staging']);
    expect(await page.getByRole('list', { name: 'History', exact: true }).innerText()).toMatch(/v2\.0\s*production/);
  });

  test('Download app: served from a static host it names its version, classifies as the page does (1e-5), offline and from the camera', async () => {
    const files = await downloadsOf(page, 'Download app of production', 1, stagesTable(page));
    const [name, zip] = [...files][0]!;
    expect(name).toBe('pawprint-v2.0-app.zip');
    const dir = join(folders.dir, 'v2.0');
    const unzipped = unzipTo(dir, zip);
    expect(Object.keys(unzipped).sort()).toEqual([
      'README.txt',
      'app.js',
      'index.html',
      'model/metadata.json',
      'model/model.json',
      'model/weights.bin',
      'release.json',
      'sw.js',
      'tfjs-backend-wasm-simd.wasm',
      'tfjs-backend-wasm.wasm',
    ]);
    const release = JSON.parse(strFromU8(unzipped['release.json']!));
    expect(release).toMatchObject({ format: 'pawprint-app', schema: 1, version: { label: 'v2.0', message: 'Two epochs' }, stages: ['production'], appVersion: '0.1.0' });

    const site = await serveFolder(dir);
    const deployed = await page.context().newPage();
    try {
      await deployed.goto(`${site.url}/`);
      await expect.poll(() => releaseLine(deployed).innerText(), { timeout: 60_000 }).toMatch(
        new RegExp(`^Model v2\\.0 \\(production\\) · “Two epochs” · version ${release.version.id.slice(0, 12)}… committed \\d{4}-\\d\\d-\\d\\d · made with Pawprint 0\\.1\\.0 · runs on WebAssembly$`),
      );
      const inPage = new Map<string, Map<string, number>>();
      for (const image of images) {
        inPage.set(image.name, await classifyInPawprint(page, image));
        expect(largestDifference(inPage.get(image.name)!, await classifyInApp(deployed, image, 2)), image.name).toBeLessThan(1e-5);
      }

      // Offline: the service worker has every file; the host goes away and the page still classifies.
      await deployed.evaluate(() => navigator.serviceWorker.ready.then(() => undefined));
      await site.close();
      await deployed.reload();
      await expect.poll(() => releaseLine(deployed).innerText(), { timeout: 60_000 }).toMatch(/^Model v2\.0 \(production\)/);
      expect(largestDifference(inPage.get(images[0]!.name)!, await classifyInApp(deployed, images[0]!, 2))).toBeLessThan(1e-5);

      // The camera: frames are classified while it runs.
      const tryIt = appClassifier(deployed);
      await tryIt.getByRole('button', { name: 'Use camera', exact: true }).click();
      await tryIt.getByRole('button', { name: 'Stop camera', exact: true }).waitFor();
      await expect.poll(async () => (await tryIt.getByLabel('Inference latency', { exact: true }).innerText()) + (await tryIt.getByRole('img').isHidden()), { timeout: 30_000 }).toMatch(/^Inference: [\d.]+ mstrue$/);
      const frame = await probabilitiesIn(tryIt);
      expect([...frame.keys()].sort()).toEqual(['sandal', 'sneaker']);
      expect([...frame.values()].reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
      await tryIt.getByRole('button', { name: 'Stop camera', exact: true }).click();
      await tryIt.getByRole('button', { name: 'Use camera', exact: true }).waitFor();
      expect(await deployed.getByRole('alert').isHidden()).toBe(true);
    } finally {
      await deployed.close();
      await site.close();
    }
  });

  test('a version in a stage cannot be deleted; assignments survive checkout and a reload', async () => {
    await itemButton(versionItem(page, 'v2.0'), 'Remove tag v2.0').click();
    const item = versionItem(page, 'Two epochs');
    await expect.poll(() => item.getByRole('button', { name: 'Remove tag v2.0', exact: true }).count()).toBe(0);
    const confirmed = acceptNextDialog(page);
    await itemButton(item, 'Delete version').click();
    expect(await confirmed).toMatch(/is checked out/);
    const said = await outcome(page);
    expect(said.alert).toContain('This version is in production: put another version there, or take it out of the stage in Registry, first.');
    await expect.poll(() => item.count()).toBe(1);

    expect((await checkout(page, 'v1.0')).alert).toBeNull();
    expect(await stages(page)).toEqual({ production: 'Two epochs', staging: 'v1.0' });
    await reloadApp(page);
    expect(await stages(page)).toEqual({ production: 'Two epochs', staging: 'v1.0' });
    expect((await rowsOf(historyTable(page))).map((row) => row[0])).toEqual(['model#staging#3', 'model#production#2', 'model#production#1']);
  });

  test('a fresh browser that pulls from an HTTP remote gets the same registry, and can take a version out of a stage', async () => {
    const remote = await startNginx({ origin: appUrl() });
    try {
      const transfer = async (on: Page, button: 'Push to URL' | 'Pull from URL') => {
        const region = on.getByRole('region', { name: 'Remotes', exact: true });
        await region.getByLabel('Remote URL', { exact: true }).fill(remote.url);
        await region.getByRole('button', { name: button, exact: true }).click();
        const result = region.getByRole('status', { name: 'Remotes result', exact: true });
        const error = region.getByRole('alert', { name: 'Remotes error', exact: true });
        await Promise.race([result.waitFor({ timeout: 120_000 }), error.waitFor({ timeout: 120_000 })]);
        expect((await error.count()) ? await error.innerText() : null).toBeNull();
        return (await result.innerText()).trim();
      };
      expect(await transfer(page, 'Push to URL')).toMatch(/^Pushed 2 versions to /);
      const { page: other } = await session.open();
      expect(await transfer(other, 'Pull from URL')).toMatch(/^Pulled 2 versions from .* 3 stage assignments added to the registry\. Checked out /);
      await expect.poll(() => stages(other)).toEqual({ production: 'Two epochs', staging: 'v1.0' });
      expect((await rowsOf(historyTable(other))).map((row) => [row[0], row[5]])).toEqual([
        ['model#staging#3', ''],
        ['model#production#2', ''],
        ['model#production#1', 'Rollback drill before the v2.0 launch'],
      ]);
      await expect.poll(() => versionItem(other, 'Two epochs').locator('.stage').allInnerTexts()).toEqual(['production']);

      // Taking a version out of a stage is an assignment too (GTO's `model#staging!#4`): the stage empties, the history keeps it.
      await registry(other).getByRole('button', { name: 'Take v1.0 out of staging', exact: true }).click();
      await expect.poll(() => registry(other).getByRole('status', { name: 'Registry result', exact: true }).innerText()).toBe('v1.0 was taken out of staging (model#staging!#4).');
      expect(await stages(other)).toEqual({ production: 'Two epochs' });
      expect((await rowsOf(historyTable(other)))[0]!.slice(0, 3)).toEqual(['model#staging!#4', 'out of staging', 'v1.0']);
      await expect.poll(() => versionItem(other, 'v1.0').locator('.stage').count()).toBe(0);
    } finally {
      await remote.close();
    }
  });

  test('a bundle carries the registry into a fresh browser', async () => {
    const remotes = (on: Page) => on.getByRole('region', { name: 'Remotes', exact: true });
    const files = await downloadsOf(page, 'Export bundle', 1, remotes(page));
    const [name, bundle] = [...files][0]!;
    const { page: fresh } = await session.open();
    await remotes(fresh).getByLabel('Import bundle', { exact: true }).setInputFiles({ name, mimeType: 'application/zip', buffer: Buffer.from(bundle) });
    const result = remotes(fresh).getByRole('status', { name: 'Remotes result', exact: true });
    const error = remotes(fresh).getByRole('alert', { name: 'Remotes error', exact: true });
    await Promise.race([result.waitFor({ timeout: 120_000 }), error.waitFor({ timeout: 120_000 })]);
    expect((await error.count()) ? await error.innerText() : null).toBeNull();
    expect((await result.innerText()).trim()).toMatch(/^Imported 2 versions from .* 3 stage assignments added to the registry\./);
    await expect.poll(() => stages(fresh)).toEqual({ production: 'Two epochs', staging: 'v1.0' });
    expect((await rowsOf(historyTable(fresh))).map((row) => [row[0], row[5]])).toEqual([
      ['model#staging#3', ''],
      ['model#production#2', ''],
      ['model#production#1', 'Rollback drill before the v2.0 launch'],
    ]);
  });
});
