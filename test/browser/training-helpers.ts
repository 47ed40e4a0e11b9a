// Helpers for the training browser tests (this file holds no tests): small data sets cut from
// the real Fashion-MNIST fixtures, the Training panel driven by role and accessible name, and
// the stored result read back from IndexedDB the way a person would inspect it in devtools.
import { readFileSync } from 'node:fs';
import { unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { HANG, addImages, addToDataset, dataset, expectNoAlerts, review, usage } from './fixtures';

// ---------------------------------------------------------------- data

export { subsetZip } from '../harness/subset-zip.mjs';

/** The `index`-th validation image of `label` in a tutorial-shaped zip, as a file to pick. */
export function validationImage(source: string, label: string, index = 0): { name: string; mimeType: string; buffer: Buffer } {
  const files = unzipSync(new Uint8Array(readFileSync(source)), { filter: (file) => file.name.startsWith(`data/validation/${label}/`) });
  const path = Object.keys(files).sort()[index];
  if (!path) throw new Error(`${source} has no validation image ${index} of ${label}`);
  return { name: path.split('/').at(-1)!, mimeType: 'image/png', buffer: Buffer.from(files[path]!) };
}

/** The Fashion-MNIST sandal/sneaker zip (500 train + 400 validation per class, 28×28 grey PNG). */
export const FASHION = () => dataset('fashion/data.zip');

/**
 * Adds a zip through "Add images" → review → "Add to data set", waits for the import and the
 * image check, and checks the import reported new files without alerts.
 */
export async function importZip(page: Page, file: string | { name: string; bytes: Uint8Array }): Promise<string> {
  if (typeof file === 'string') await addImages(page, file);
  else await addImages(page, [{ name: file.name, bytes: file.bytes, type: 'application/zip' }]);
  await review(page).waitFor();
  const result = await addToDataset(page);
  expect(result, 'the "Import result" status').toMatch(/new files?/);
  await expectNoAlerts(page, 'after the import');
  return result;
}

// ---------------------------------------------------------------- the Training panel

export interface TrainingInputs {
  imageSize?: number | '';
  epochs?: number | '';
  batchSize?: number | '';
  learningRate?: number | '';
  seed?: number | '';
  /** The option's visible text: Auto, WebGPU, WebGL, WASM or CPU. */
  backend?: 'Auto' | 'WebGPU' | 'WebGL' | 'WASM' | 'CPU';
}

const SPINBUTTONS: Record<Exclude<keyof TrainingInputs, 'backend'>, string> = {
  imageSize: 'Image size',
  epochs: 'Epochs',
  batchSize: 'Batch size',
  learningRate: 'Learning rate',
  seed: 'Seed',
};

export function spinbutton(page: Page, name: string): Locator {
  return page.getByRole('spinbutton', { name, exact: true });
}

/** Types the parameters into their labelled inputs and picks the backend. */
export async function setInputs(page: Page, inputs: TrainingInputs): Promise<void> {
  for (const [key, name] of Object.entries(SPINBUTTONS) as [keyof typeof SPINBUTTONS, string][]) {
    const value = inputs[key];
    if (value !== undefined) await spinbutton(page, name).fill(String(value));
  }
  if (inputs.backend) await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption({ label: inputs.backend });
}

export function trainButton(page: Page): Locator {
  return page.getByRole('button', { name: 'Train', exact: true });
}

/** The sentences of the list "Why Train is disabled" (empty when it is not shown). */
export async function whyDisabled(page: Page): Promise<string[]> {
  const list = page.getByRole('list', { name: 'Why Train is disabled', exact: true });
  if ((await list.count()) === 0) return [];
  return (await list.getByRole('listitem').allInnerTexts()).map((text) => text.trim());
}

export function evaluationRegion(page: Page): Locator {
  return page.getByRole('region', { name: 'Evaluation', exact: true });
}

/** The live progress line, e.g. "Epoch 1 / 2 · batch 3 / 32 · 115 images/s · about 10 s left". */
export const PROGRESS_TEXT = /Epoch (\d+) \/ (\d+) · batch (\d+) \/ (\d+) · ([\d\s\u00a0\u202f,.]+) images\/s · about (.+) left/;

export function progressLine(page: Page): Locator {
  return page.getByText(PROGRESS_TEXT);
}

/** The page's alerts, joined; '' when none. */
export async function alerts(page: Page): Promise<string> {
  return (await page.getByRole('alert').allInnerTexts()).join(' | ');
}

/**
 * Waits until the run's result is shown (the "Evaluation" region) and returns how long that
 * took; fails with the page's alert when training reports an error instead.
 */
export async function waitForResult(page: Page, timeout = HANG): Promise<number> {
  const started = Date.now();
  const evaluation = evaluationRegion(page);
  const alert = page.getByRole('alert').first();
  await Promise.race([evaluation.waitFor({ timeout }), alert.waitFor({ timeout })]);
  if (await alert.isVisible().catch(() => false)) throw new Error(`training failed: ${await alerts(page)}`);
  return Date.now() - started;
}

export interface MetricsRow {
  epoch: number;
  accuracy: number;
  loss: number;
  val_accuracy: number;
  val_loss: number;
}

/**
 * The table "Metrics": its header cells and rows as numbers (and the cell texts); empty when
 * no such table is shown. Reads whatever is on the page now, without waiting for a table.
 */
export async function metricsTable(page: Page): Promise<{ columns: string[]; rows: MetricsRow[]; cells: string[][] }> {
  const [found] = await page.getByRole('table', { name: 'Metrics', exact: true }).evaluateAll((tables) =>
    tables.map((el) => {
      const t = el as HTMLTableElement;
      return {
        columns: Array.from(t.tHead!.rows[0]!.cells).map((c) => c.textContent!.trim()),
        cells: Array.from(t.tBodies[0]!.rows).map((row) => Array.from(row.cells).map((c) => c.textContent!.trim())),
      };
    }),
  );
  if (!found) return { columns: [], rows: [], cells: [] };
  const { columns, cells } = found;
  const rows = cells.map((cell) => {
    const row: Record<string, number> = {};
    columns.forEach((column, i) => (row[column] = Number(cell[i])));
    return row as unknown as MetricsRow;
  });
  return { columns, rows, cells };
}

/** Checks a metrics row is plausible: accuracies in [0, 1], losses finite and ≥ 0. */
export function expectSaneRow(row: MetricsRow, what: string): void {
  for (const key of ['accuracy', 'val_accuracy'] as const) {
    expect(row[key], `${what}: ${key}`).toBeGreaterThanOrEqual(0);
    expect(row[key], `${what}: ${key}`).toBeLessThanOrEqual(1);
  }
  for (const key of ['loss', 'val_loss'] as const) {
    expect(Number.isFinite(row[key]) && row[key] >= 0, `${what}: ${key} = ${row[key]} is a finite loss`).toBe(true);
  }
}

/** "Backend in use" paragraph, e.g. "Backend: wasm (WebAssembly on the CPU (SIMD, one thread)). Chosen by you." */
export async function backendInUse(page: Page): Promise<string> {
  return (await page.getByLabel('Backend in use', { exact: true }).innerText()).replace(/\s+/g, ' ').trim();
}

export async function statusLine(page: Page): Promise<string> {
  return (await page.getByRole('status', { name: 'Runtime', exact: true }).innerText()).replace(/\s+/g, ' ').trim();
}

/** Both learning-curve charts are drawn: figures "Loss" and "Accuracy", each with a uPlot canvas. */
export async function expectCharts(page: Page): Promise<void> {
  for (const name of ['Loss', 'Accuracy']) {
    const figure = page.getByRole('figure', { name, exact: true });
    await figure.waitFor();
    const size = await figure.locator('canvas').first().evaluate((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]);
    expect(size[0]! * size[1]!, `the "${name}" chart's canvas has pixels`).toBeGreaterThan(0);
  }
}

// ---------------------------------------------------------------- what is stored

export { usage };

export interface StoredRun {
  runId: string;
  version: {
    kind: string;
    model: string | null;
    dataset: string;
    params: Record<string, unknown> & { epochs: number; imageSize: number; batchSize: number; seed: number };
    metrics: Record<string, number>;
    history: MetricsRow[];
    run: Record<string, unknown> & { backend: string; adapter: string; stopped: boolean; imagesPerSecond: number; durationMs: number };
  };
  model: { kind: string; inputShape: number[]; classNames: string[]; weights: string; weightsSize: number } | null;
  /** Bytes of the model's weights blob as stored (null when the blob is missing). */
  weightsBytes: number | null;
}

/**
 * The result the ref `workspace-run` points at, read straight from the app's IndexedDB
 * (database "pawprint": stores refs, objects, blobs, blobData — docs/ARCHITECTURE.md), with
 * the model object and the size of its weights blob. null when there is no such ref.
 */
export function storedRun(page: Page): Promise<StoredRun | null> {
  return page.evaluate(async () => {
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const request = indexedDB.open('pawprint');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    const get = (store: string, key: string) =>
      new Promise<unknown>((resolve, reject) => {
        const request = db.transaction(store, 'readonly').objectStore(store).get(key);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    try {
      const ref = (await get('refs', 'workspace-run')) as { target: string } | undefined;
      if (!ref) return null;
      // Objects are stored as their canonical JSON text.
      const body = async (id: string) => {
        const record = (await get('objects', id)) as { json: string } | undefined;
        return record ? (JSON.parse(record.json) as unknown) : undefined;
      };
      const version = (await body(ref.target)) as StoredRun['version'] | undefined;
      if (!version) throw new Error(`workspace-run points at ${ref.target}, which is not stored`);
      const model = version.model ? (((await body(version.model)) as NonNullable<StoredRun['model']> | undefined) ?? null) : null;
      const data = model ? ((await get('blobData', model.weights)) as ArrayBuffer | ArrayBufferView | Blob | undefined) : undefined;
      const weightsBytes = data === undefined ? null : data instanceof Blob ? data.size : data.byteLength;
      return { runId: ref.target, version, model, weightsBytes };
    } finally {
      db.close();
    }
  });
}

/** Checks the stored run against what the page showed: history = Metrics table, a model with its weights. */
export function expectStoredRun(run: StoredRun | null, shown: MetricsRow[], expected: { backend: string; epochs: number; imageSize: number; classes: string[] }): asserts run is StoredRun {
  expect(run, 'a result under the ref workspace-run').not.toBeNull();
  const { version, model } = run!;
  expect(version.kind).toBe('version');
  expect(version.params).toMatchObject({ epochs: expected.epochs, imageSize: expected.imageSize });
  expect(version.history.length, 'stored history rows').toBe(shown.length);
  version.history.forEach((row, i) => {
    for (const key of ['accuracy', 'loss', 'val_accuracy', 'val_loss'] as const) {
      expect(row[key].toFixed(4), `stored history row ${i} ${key} as the Metrics table shows it`).toBe(shown[i]![key].toFixed(4));
    }
  });
  expect(version.metrics).toEqual(Object.fromEntries(Object.entries(version.history.at(-1)!).filter(([k]) => k !== 'epoch')));
  expect(version.run.backend).toBe(expected.backend);
  expect(model, 'the model object the run points at').not.toBeNull();
  expect(model!.kind).toBe('model');
  expect(model!.inputShape).toEqual([expected.imageSize, expected.imageSize, 3]);
  expect(model!.classNames).toEqual(expected.classes);
  expect(run!.weightsBytes, 'bytes of the weights blob').toBe(model!.weightsSize);
  expect(model!.weightsSize).toBeGreaterThan(0);
}
