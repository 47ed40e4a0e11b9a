// Camera capture through the page, with Chromium's fake camera (a generated test pattern):
// "Use camera" asks for the camera on that click, Capture held takes frames (counted, shown as
// thumbnails), the frames are reviewed like a drop and join the workspace as JPEG files named
// by time under the chosen split and class. A refused permission, a machine without a
// camera and a camera another program holds each get a clear message and change nothing.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { readBytes } from './app';
import { addToDataset, browsers, classesTable, expectNoAlerts, openGrid, review, reviewTable, usage } from './fixtures';
import { idbGet } from './versions-helpers';

const session = browsers({ perTest: true });

const FAKE_CAMERA = ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'];
const camera = (page: Page) => page.getByRole('region', { name: 'Camera', exact: true });
const framesCaptured = async (page: Page) => Number((await camera(page).getByRole('status', { name: 'Frames captured', exact: true }).innerText()).replace(/\D+/g, ''));

/** Holds Capture down with the pointer for `ms`, as a person would. */
async function holdCapture(page: Page, ms: number): Promise<void> {
  await camera(page).getByRole('button', { name: 'Capture', exact: true }).hover();
  await page.mouse.down();
  await page.waitForTimeout(ms);
  await page.mouse.up();
}

describe('camera capture', () => {
  test('Use camera, hold Capture, review the frames, add them to a class and split', { timeout: 120_000 }, async () => {
    const app = await session.open({ extraArgs: FAKE_CAMERA });
    const { page, requests } = app;
    expect(await camera(page).count(), 'no camera before the click').toBe(0);
    await page.getByRole('button', { name: 'Use camera', exact: true }).click();
    const preview = camera(page).getByLabel('Camera preview', { exact: true });
    await expect.poll(() => preview.evaluate((video) => (video as HTMLVideoElement).videoWidth)).toBeGreaterThan(0);

    // No class yet: Capture says so and takes nothing.
    await holdCapture(page, 300);
    await expect.poll(() => page.getByRole('alert').allInnerTexts()).toEqual(['Type or pick the class these frames show before capturing.']);
    expect(await framesCaptured(page)).toBe(0);

    await camera(page).getByRole('combobox', { name: 'Class', exact: true }).fill('fake pattern');
    await camera(page).getByRole('combobox', { name: 'Split', exact: true }).selectOption('validation');
    await holdCapture(page, 1_500);
    await expect.poll(() => framesCaptured(page)).toBeGreaterThan(0);
    // Let go: no more frames come.
    const taken = await framesCaptured(page);
    await page.waitForTimeout(600);
    expect(await framesCaptured(page)).toBe(taken);
    const thumbnails = camera(page).getByRole('list', { name: 'Captured frames', exact: true }).getByRole('img');
    await expect.poll(() => thumbnails.count()).toBe(taken);
    const names = await thumbnails.evaluateAll((imgs) => imgs.map((img) => img.getAttribute('alt')!));
    for (const name of names) expect(name).toMatch(/^validation\/fake pattern\/capture-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d-\d{3}Z(-\d+)?\.jpg$/);

    await camera(page).getByRole('button', { name: `Review ${taken} frame${taken === 1 ? '' : 's'}`, exact: true }).click();
    await review(page).waitFor();
    expect(await reviewTable(page)).toEqual({ 'fake pattern': { validation: taken } });
    expect(await addToDataset(page)).toBe(`${taken} new file${taken === 1 ? '' : 's'}, 0 files already stored.`);
    await expectNoAlerts(page, 'after adding the frames');
    expect((await classesTable(page))?.rows['fake pattern']).toEqual({ validation: taken, Total: taken });
    expect(await framesCaptured(page), 'the frames went to the review').toBe(0);

    // Shown in the class's grid; stored as JPEG bytes.
    const grid = await openGrid(page, 'fake pattern');
    await expect.poll(() => grid.getByRole('img').evaluateAll((imgs) => imgs.every((img) => (img as HTMLImageElement).naturalWidth > 0))).toBe(true);
    const workspace = await idbGet<{ target: string }>(page, 'refs', 'workspace');
    const dataset = JSON.parse((await idbGet<{ json: string }>(page, 'objects', workspace!.target))!.json) as { entries: { path: string; sha256: string }[] };
    expect(dataset.entries.map((entry) => entry.path).sort()).toEqual([...names].sort());
    for (const entry of dataset.entries) expect(Array.from((await readBytes(app, entry.sha256)).slice(0, 3)), entry.path).toEqual([0xff, 0xd8, 0xff]);

    await camera(page).getByRole('button', { name: 'Close camera', exact: true }).click();
    expect(await camera(page).count()).toBe(0);
    expect(requests.filter((url) => !url.startsWith(new URL(page.url()).origin) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
  });

  test('a refused camera permission: a message, nothing opened or stored', async () => {
    const { page } = await session.open({ extraArgs: ['--use-fake-device-for-media-stream', '--deny-permission-prompts'] });
    const before = await usage(page);
    await page.getByRole('button', { name: 'Use camera', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').allInnerTexts()).toEqual([
      'The camera was not allowed. To use it, allow the camera for this page in the browser’s site settings, then press “Use camera” again.',
    ]);
    expect(await camera(page).count()).toBe(0);
    expect(await usage(page)).toEqual(before);
  });

  test('no camera on the machine: a message, nothing opened', async () => {
    const { page } = await session.open({ extraArgs: ['--use-fake-ui-for-media-stream'] });
    await page.getByRole('button', { name: 'Use camera', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').allInnerTexts()).toEqual(['No camera was found. Connect a camera (or enable it), then press “Use camera” again.']);
    expect(await camera(page).count()).toBe(0);
  });

  test('a camera another program holds: a message, nothing opened or stored', async () => {
    const app = await session.open({ extraArgs: FAKE_CAMERA });
    const { page } = app;
    // Chromium's fake camera is never busy: answer as Chrome does when another program has the camera.
    await app.context.addInitScript(() => {
      navigator.mediaDevices.getUserMedia = () => Promise.reject(new DOMException('Could not start video source', 'NotReadableError'));
    });
    await page.reload();
    await app.waitForPawprint();
    const before = await usage(page);
    await page.getByRole('button', { name: 'Use camera', exact: true }).click();
    await expect.poll(() => page.getByRole('alert').allInnerTexts()).toEqual([
      'The camera could not be started: another program or tab may be using it. Close it there, then press “Use camera” again.',
    ]);
    expect(await camera(page).count()).toBe(0);
    expect(await usage(page)).toEqual(before);
  });
});
