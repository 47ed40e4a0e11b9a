// Training through the page on the GPU backends a person can choose: WebGPU and WebGL.
// On this machine both run on SwiftShader (software): measured here, the reference convnet at
// 22×22 trains at ~9 images/s on WebGPU and ~21 images/s on WebGL (WASM: ~115), and WebGPU
// validates 800 images in ~28 s. The full data.zip (1 000 train + 800 validation) for two
// epochs would take ~4 min on WebGPU alone, so these tests train on a subset cut from the same
// real Fashion-MNIST zip: the first 40 train + 20 validation images of each class (the WebGL
// test, twice as fast, uses 60 + 20). Image size 22, the convnet's minimum.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { queryAdapter } from '../harness/page.mjs';
import { waitForPawprint } from './app';
import { browsers } from './fixtures';
import {
  FASHION,
  PROGRESS_TEXT,
  backendInUse,
  evaluationRegion,
  expectCharts,
  expectSaneRow,
  expectStoredRun,
  importZip,
  metricsTable,
  progressLine,
  setInputs,
  statusLine,
  storedRun,
  subsetZip,
  trainButton,
  usage,
  waitForResult,
  whyDisabled,
} from './training-helpers';

const session = browsers({ perTest: true });
const CLASSES = ['sandal', 'sneaker'];
const SIZE = 22;
const EPOCHS = 2;

/** The WebGL renderer string, e.g. "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device …), SwiftShader driver)". */
function webglRenderer(page: Page): Promise<string> {
  return page.evaluate(() => {
    const gl = document.createElement('canvas').getContext('webgl2');
    if (!gl) return '';
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    return String(gl.getParameter(info ? info.UNMASKED_RENDERER_WEBGL : gl.RENDERER));
  });
}

/**
 * Imports a subset, trains EPOCHS epochs on `backend` and checks everything a person sees and
 * what is stored; returns the page for backend-specific checks.
 */
async function trainOn(option: 'WebGPU' | 'WebGL', perClass: { train: number; validation: number }) {
  const backend = option.toLowerCase();
  const app = await session.open();
  const { page } = app;
  await importZip(page, { name: 'fashion-subset.zip', bytes: subsetZip(FASHION(), perClass) });
  const before = await usage(page);
  expect(await storedRun(page), 'no result before training').toBeNull();

  await setInputs(page, { imageSize: SIZE, epochs: EPOCHS, backend: option });
  expect(await whyDisabled(page), 'reasons Train is disabled').toEqual([]);
  await trainButton(page).click();

  // While training: the progress bar, its line of text, and a Stop button.
  await page.getByRole('progressbar', { name: 'Training progress', exact: true }).waitFor();
  await page.getByRole('button', { name: 'Stop', exact: true }).waitFor();
  await progressLine(page).first().waitFor();
  const progress = PROGRESS_TEXT.exec(await progressLine(page).first().innerText())!;
  const trainImages = perClass.train * CLASSES.length;
  expect(Number(progress[2]), 'epochs in the progress line').toBe(EPOCHS);
  expect(Number(progress[4]), 'batches per epoch in the progress line').toBe(Math.ceil(trainImages / 32));
  expect(await trainButton(page).isDisabled(), 'Train while training').toBe(true);

  await waitForResult(page);
  const line = await backendInUse(page);
  expect(line).toMatch(new RegExp(`^Backend: ${backend} \\(.+\\)\\. Chosen by you\\.$`));
  const metrics = await metricsTable(page);
  expect(metrics.columns).toEqual(['epoch', 'accuracy', 'loss', 'val_accuracy', 'val_loss']);
  expect(metrics.rows.map((row) => row.epoch)).toEqual([0, 1]);
  metrics.rows.forEach((row, i) => expectSaneRow(row, `Metrics row ${i}`));
  await expectCharts(page);
  expect(await statusLine(page)).toContain(`Backend: ${backend}`);

  // Stored: the weights blob, the model object and the run version (under workspace-run).
  const after = await usage(page);
  expect(after.objects - before.objects, 'objects stored by the run').toBeGreaterThanOrEqual(2);
  expect(after.blobs - before.blobs, 'blobs stored by the run (the weights)').toBeGreaterThanOrEqual(1);
  const run = await storedRun(page);
  expectStoredRun(run, metrics.rows, { backend, epochs: EPOCHS, imageSize: SIZE, classes: CLASSES });
  expect(run.version.run.deterministic, 'a GPU backend does not promise identical weights').toBe(false);

  // A reload shows the same result.
  await page.reload({ waitUntil: 'load' });
  await waitForPawprint(page);
  await evaluationRegion(page).waitFor();
  expect((await metricsTable(page)).cells, 'Metrics table after a reload').toEqual(metrics.cells);
  expect(app.pageErrors, 'uncaught errors in the page').toEqual([]);
  expect(app.consoleErrors, 'console errors in the page').toEqual([]);
  return { app, page, run, line };
}

describe('training on the GPU backends (software adapters here)', () => {
  test('WebGPU: 2 epochs on a Fashion-MNIST subset fill the Metrics table, name the adapter and store the model', async () => {
    const { page, run, line } = await trainOn('WebGPU', { train: 40, validation: 20 });
    const adapter = await queryAdapter(page);
    expect(adapter, 'navigator.gpu.requestAdapter() in the page').not.toBeNull();
    // Here (no GPU) the adapter is SwiftShader, a fallback adapter: "google swiftshader (software adapter)".
    const name = [adapter!.vendor, adapter!.architecture].filter(Boolean).join(' ');
    const shown = `${name}${adapter!.isFallbackAdapter ? ' (software adapter)' : ''}`;
    expect(line, '"Backend in use"').toBe(`Backend: webgpu (${shown}). Chosen by you.`);
    expect(run.version.run.adapter, 'the adapter stored with the run').toBe(shown);
  });

  test('WebGL: 2 epochs on a Fashion-MNIST subset fill the Metrics table and store the model', async () => {
    const { page, run, line } = await trainOn('WebGL', { train: 60, validation: 20 });
    const renderer = await webglRenderer(page);
    expect(renderer).toContain('SwiftShader');
    // DESIGN/issue: "always show the backend and adapter that actually ran". On WebGL the
    // adapter is the GL renderer (here SwiftShader, i.e. software).
    expect(line, '"Backend in use" on WebGL names the GL renderer').toMatch(/SwiftShader/i);
    expect(run.version.run.adapter, 'the adapter recorded for a WebGL run names the GL renderer').toMatch(/SwiftShader.*\(software\)/i);
  });
});
