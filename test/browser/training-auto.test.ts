// Training with Backend = Auto on the full Fashion-MNIST sandal/sneaker data.zip (1 000 train,
// 800 validation, 28×28 grey PNGs), then everything a person does with the result: judge it
// with an acceptance rule, read the evaluation, download metrics.csv, classify an image, reload.
// One browser for the file: the tests after the first look at the first one's result.
// On this machine (no GPU: WebGPU is SwiftShader) Auto measures each backend and picks WASM,
// which trains one epoch at 28×28 (the images' own size) in ~10 s.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { waitForPawprint, type OpenedApp } from './app';
import { python } from '../harness/python.mjs';
import { HANG, browsers } from './fixtures';
import {
  FASHION,
  backendInUse,
  evaluationRegion,
  expectCharts,
  expectSaneRow,
  expectStoredRun,
  importZip,
  metricsTable,
  setInputs,
  statusLine,
  storedRun,
  trainButton,
  usage,
  validationImage,
  waitForResult,
  type MetricsRow,
  type StoredRun,
} from './training-helpers';

const session = browsers({ perTest: false });
const CLASSES = ['sandal', 'sneaker'];
const SIZE = 28;

let opened: OpenedApp | undefined;
/** The result of the first test, which the others look at. */
let trained: { rows: MetricsRow[]; cells: string[][]; run: StoredRun } | undefined;

function result() {
  if (!trained) throw new Error('The first test (training on Auto) did not finish: nothing to look at.');
  return trained;
}

function page(): Page {
  if (!opened) throw new Error('No browser: the first test did not open one.');
  return opened.page;
}

/** Parses a table with a header row (first cell empty or a name) and row headers: name → cells. */
async function readTable(table: ReturnType<Page['getByRole']>): Promise<{ columns: string[]; rows: Record<string, string[]> }> {
  return table.evaluate((el) => {
    const t = el as HTMLTableElement;
    const rows: Record<string, string[]> = {};
    for (const row of Array.from(t.tBodies[0]!.rows)) {
      const [head, ...cells] = Array.from(row.cells).map((c) => c.textContent!.trim());
      rows[head!] = cells;
    }
    return { columns: Array.from(t.tHead!.rows[0]!.cells).map((c) => c.textContent!.trim()), rows };
  });
}

/** metrics.csv as Keras' CSVLogger writes it, by Python's csv module (not the app's code). */
function kerasCsv(history: MetricsRow[]): string {
  const script = String.raw`
import csv, io, json, sys
history = json.load(sys.stdin)
keys = sorted(k for k in history[0] if k != "epoch")
out = io.StringIO(newline="")
writer = csv.DictWriter(out, fieldnames=["epoch"] + keys, dialect=csv.excel)
writer.writeheader()
for row in history:
    writer.writerow({"epoch": int(row["epoch"]), **{k: float(row[k]) for k in keys}})
sys.stdout.write(json.dumps(out.getvalue()))
`;
  return python(script, history) as string;
}

describe('training on Auto: the full Fashion-MNIST pair, evaluation, metrics.csv, classify', () => {
  // How long the main thread is blocked while training is a benchmark figure (bench:responsiveness), not asserted here.
  test('Auto picks WASM and says why; 1 epoch reaches val_accuracy ≥ 0.8', async () => {
    opened = await session.open();
    const { page } = opened;
    await importZip(page, FASHION());
    const before = await usage(page);
    await setInputs(page, { imageSize: SIZE, epochs: 1, backend: 'Auto' });
    expect(await statusLine(page)).toMatch(/Backend: (webgpu|webgl|wasm|cpu)\b/);

    await trainButton(page).click();
    await waitForResult(page);

    // Auto: WebGPU is SwiftShader here (isFallbackAdapter), so it measured and chose.
    const line = await backendInUse(page);
    // Auto also measured one thread against all of them (threads: see training-threads.test.ts).
    const threads = String.raw`(?:one thread|\d+ threads)`;
    const device = String.raw`WebAssembly on the CPU \(SIMD, ${threads}(?:, (?:[\d.]+× faster here than|about as fast here as) ${threads})?\)`;
    const shape = new RegExp(String.raw`^Backend: wasm \(${device}\)\. No GPU found: WebGPU is emulated on the CPU; using WASM, (\d+(?:\.\d+)?)× faster here than WebGPU\.$`);
    const why = shape.exec(line);
    expect(line, '"Backend in use" with Auto on a machine without a GPU').toMatch(shape);
    expect(Number(why![1]), 'the speed-up Auto measured').toBeGreaterThan(1);
    expect(await statusLine(page), 'status line after training').toContain('Backend: wasm');

    const metrics = await metricsTable(page);
    expect(metrics.rows.map((row) => row.epoch)).toEqual([0]);
    expectSaneRow(metrics.rows[0]!, 'Metrics row 0');
    // Sneaker vs sandal is easy: one epoch is enough.
    expect(metrics.rows[0]!.val_accuracy, 'val_accuracy after 1 epoch').toBeGreaterThanOrEqual(0.8);
    await expectCharts(page);

    const after = await usage(page);
    expect(after.objects - before.objects).toBeGreaterThanOrEqual(2);
    const run = await storedRun(page);
    expectStoredRun(run, metrics.rows, { backend: 'wasm', epochs: 1, imageSize: SIZE, classes: CLASSES });
    expect(run.version.run.deterministic).toBe(true);
    trained = { rows: metrics.rows, cells: metrics.cells, run };

    expect(opened.pageErrors, 'uncaught errors in the page').toEqual([]);
    expect(opened.consoleErrors, 'console errors in the page').toEqual([]);
  });

  test('Evaluation: the acceptance rule passes at 0.8 and fails at 0.99; confusion matrix, per-class scores, mistakes and run line agree', async () => {
    const { rows, run } = result();
    const evaluation = evaluationRegion(page());
    const valAccuracy = rows[0]!.val_accuracy;
    const acceptance = evaluation.getByRole('status', { name: 'Acceptance', exact: true });
    const threshold = evaluation.getByRole('spinbutton', { name: 'Threshold', exact: true });

    expect(await evaluation.getByRole('combobox', { name: 'Metric', exact: true }).inputValue()).toBe('val_accuracy');
    expect(await evaluation.getByRole('combobox', { name: 'Comparison', exact: true }).inputValue()).toBe('>=');
    await threshold.fill('0.8');
    await expect.poll(() => acceptance.innerText()).toMatch(/^Passed: val_accuracy is [\d.]+, at least 0\.8 as required\.$/);
    expect(Number(/is ([\d.]+),/.exec(await acceptance.innerText())![1]).toFixed(4), 'the value the rule judged').toBe(valAccuracy.toFixed(4));
    await threshold.fill('0.99');
    await expect.poll(() => acceptance.innerText()).toMatch(/^Failed: val_accuracy is [\d.]+, but the rule asks for at least 0\.99\.$/);
    // Another metric and comparison: val_loss ≤ 10 passes.
    await evaluation.getByRole('combobox', { name: 'Metric', exact: true }).selectOption('val_loss');
    await evaluation.getByRole('combobox', { name: 'Comparison', exact: true }).selectOption({ label: '≤' });
    await threshold.fill('10');
    await expect.poll(() => acceptance.innerText()).toMatch(/^Passed: val_loss is [\d.]+, at most 10 as required\.$/);

    // Confusion matrix: 800 validation images; its accuracy is the last epoch's val_accuracy.
    const confusion = await readTable(evaluation.getByRole('table', { name: /^Confusion matrix/ }));
    expect(confusion.columns).toEqual(['', ...CLASSES]);
    const counts = CLASSES.map((name) => confusion.rows[name]!.map(Number));
    const total = counts.flat().reduce((a, b) => a + b, 0);
    const correct = counts.reduce((sum, row, c) => sum + row[c]!, 0);
    expect(total, 'images in the confusion matrix').toBe(800);
    expect(counts.map((row) => row.reduce((a, b) => a + b, 0)), 'validation images per true class').toEqual([400, 400]);
    expect(correct / total, 'accuracy of the confusion matrix = the stored val_accuracy').toBeCloseTo(run.version.history[0]!.val_accuracy, 9);

    // Per-class scores, recomputed from the confusion matrix.
    const scores = await readTable(evaluation.getByRole('table', { name: 'Per-class scores', exact: true }));
    expect(scores.columns).toEqual(['class', 'precision', 'recall', 'accuracy', 'images']);
    CLASSES.forEach((name, c) => {
      const predicted = counts.reduce((sum, row) => sum + row[c]!, 0);
      const percent = (x: number) => `${(x * 100).toFixed(1)} %`;
      expect(scores.rows[name], `scores of ${name}`).toEqual([
        percent(predicted ? counts[c]![c]! / predicted : 0),
        percent(counts[c]![c]! / 400),
        percent(correct / total),
        '400',
      ]);
    });

    // The most confident mistakes, as thumbnails that show (at most 12).
    const mistakes = total - correct;
    const list = evaluation.getByRole('list', { name: 'Most confident mistakes', exact: true });
    if (mistakes > 0) {
      const items = list.getByRole('listitem');
      expect(await items.count()).toBe(Math.min(12, mistakes));
      const alts = await list.getByRole('img').evaluateAll((imgs) => imgs.map((img) => (img as HTMLImageElement).alt));
      for (const alt of alts) {
        const [, truth, predicted] = /^(\S+) predicted as (\S+)$/.exec(alt) ?? [];
        expect(CLASSES, `a mistake's labels (${alt})`).toContain(truth);
        expect(predicted, `a mistake is a mistake (${alt})`).not.toBe(truth);
      }
      await expect
        .poll(() => list.getByRole('img').evaluateAll((imgs) => imgs.filter((img) => !((img as HTMLImageElement).complete && (img as HTMLImageElement).naturalWidth > 0)).length), {
          timeout: HANG,
          message: 'thumbnails of the mistakes that did not load',
        })
        .toBe(0);
    }

    // The run line: backend, seconds, images/s, seed, as stored.
    const runLine = (await evaluation.getByText(/^Trained on /).innerText()).trim();
    const info = run.version.run;
    expect(info.adapter).toMatch(/^WebAssembly on the CPU \(SIMD, /);
    expect(runLine).toContain(`Trained on wasm (${info.adapter}) in ${(info.durationMs / 1000).toFixed(1)} s, ${info.imagesPerSecond.toFixed(0)} images/s, seed 42.`);
    expect(info.imagesPerSecond).toBeGreaterThan(0);
  });

  test('"Download metrics.csv" gives the Metrics table in Keras CSVLogger format, byte for byte', async () => {
    const { rows, run } = result();
    const p = page();
    const [download] = await Promise.all([p.waitForEvent('download'), p.getByRole('button', { name: 'Download metrics.csv', exact: true }).click()]);
    expect(download.suggestedFilename()).toBe('metrics.csv');
    const text = readFileSync(await download.path(), 'utf8');
    // CSVLogger: header "epoch" then the metric names sorted, "\r\n" after every line.
    expect(text.startsWith('epoch,accuracy,loss,val_accuracy,val_loss\r\n'), `header of ${JSON.stringify(text.slice(0, 60))}`).toBe(true);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
    // Every value as the Metrics table shows it (4 decimals) …
    const lines = text.split('\r\n').slice(1, -1);
    expect(lines.length).toBe(rows.length);
    lines.forEach((line, i) => {
      const [epoch, ...values] = line.split(',');
      expect(Number(epoch)).toBe(rows[i]!.epoch);
      const shown = [rows[i]!.accuracy, rows[i]!.loss, rows[i]!.val_accuracy, rows[i]!.val_loss];
      expect(values.map((v) => Number(v).toFixed(4)), `row ${i} against the Metrics table`).toEqual(shown.map((v) => v.toFixed(4)));
    });
    // … and exactly what Python's csv module writes for the stored history.
    expect(text).toBe(kerasCsv(run.version.history));
  });

  test('"Classify an image" with a validation PNG shows class probabilities summing to 1 and the latency', async () => {
    const p = page();
    const file = validationImage(FASHION(), 'sneaker');
    const tryIt = p.getByRole('region', { name: 'Try the model', exact: true });
    await tryIt.getByLabel('Classify an image', { exact: true }).setInputFiles(file);
    const list = tryIt.getByRole('list', { name: 'Class probabilities', exact: true });
    await list.waitFor();
    const items = await list.getByRole('listitem').evaluateAll((lis) =>
      lis.map((li) => ({ label: li.querySelector('span')!.textContent!.trim(), value: (li.querySelector('meter') as HTMLMeterElement).value, text: li.textContent!.trim() })),
    );
    expect(items.map((item) => item.label).sort()).toEqual(CLASSES);
    const sum = items.reduce((s, item) => s + item.value, 0);
    expect(sum, `probabilities ${items.map((i) => i.text).join(', ')}`).toBeCloseTo(1, 4);
    expect(items[0]!.value, 'most likely first').toBeGreaterThanOrEqual(items[1]!.value);
    const latency = await tryIt.getByText(/^Inference: [\d.]+ ms$/).innerText();
    expect(Number(/([\d.]+) ms/.exec(latency)![1]), latency).toBeGreaterThan(0);
    expect(await p.getByRole('alert').allInnerTexts()).toEqual([]);
  });

  test('after a reload the Metrics table and the Evaluation are still shown, and the stored model classifies', async () => {
    const { cells } = result();
    const p = page();
    await p.reload({ waitUntil: 'load' });
    await waitForPawprint(p);
    await evaluationRegion(p).waitFor();
    expect((await metricsTable(p)).cells).toEqual(cells);
    await expectCharts(p);
    const tryIt = p.getByRole('region', { name: 'Try the model', exact: true });
    await tryIt.getByLabel('Classify an image', { exact: true }).setInputFiles(validationImage(FASHION(), 'sandal'));
    await tryIt.getByRole('list', { name: 'Class probabilities', exact: true }).waitFor();
    await tryIt.getByText(/^Inference: [\d.]+ ms$/).waitFor();
    expect(opened!.pageErrors).toEqual([]);
  });
});
