// "Pretrained features" through the page, on the Tux Paint photos (4 classes of real photos):
// choose the model, Train computes the bundled backbone's features (progress with images/s
// and an ETA) and fits the head; retraining with other params reads the feature cache only;
// more images compute features for the new ones only; Cancel during the computation keeps
// what is done; Classify runs backbone + head; its exports (tfjs files, ONNX, Keras weights)
// are the joined model, loaded in their own runtimes; the timeline names the model.
import * as tf from '@tensorflow/tfjs';
import { strFromU8, unzipSync } from 'fflate';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { classify, downloadsOf, kerasWeightsCheck, onnxProbabilities, rerunStages } from './exchange-helpers';
import { browsers, dataset } from './fixtures';
import { EXTRACT_TEXT, backboneNote, chooseModel, featureRows, totalRows } from './pretrained-helpers';
import {
  alerts,
  expectCharts,
  importZip,
  metricsTable,
  setInputs,
  storedRun,
  subsetZip,
  trainButton,
  validationImage,
  waitForResult,
} from './training-helpers';
import { commitOk, comparison, idbGet, readTable, tickCompare, timeline, trainAndWait, versionItem } from './versions-helpers';

const session = browsers({ perTest: false });
const PHOTOS = () => dataset('photos/data.zip');
/** 16 train + 4 validation per class: 80 images. */
const V1 = () => subsetZip(PHOTOS(), { train: 16, validation: 4 });

/** The PNG drawn over white and scaled (nearest pixel) to size×size, as a PNG and as its RGB bytes. */
function squarePng(source: Uint8Array, size: number): { png: Uint8Array; rgb: Uint8Array } {
  const from = PNG.sync.read(Buffer.from(source));
  const out = new PNG({ width: size, height: size });
  const rgb = new Uint8Array(size * size * 3);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const at = (Math.floor((y * from.height) / size) * from.width + Math.floor((x * from.width) / size)) * 4;
      const alpha = from.data[at + 3]! / 255;
      for (let c = 0; c < 3; c++) rgb[(y * size + x) * 3 + c] = Math.round(from.data[at + c]! * alpha + 255 * (1 - alpha));
      out.data.set([...rgb.subarray((y * size + x) * 3, (y * size + x) * 3 + 3), 255], (y * size + x) * 4);
    }
  }
  return { png: new Uint8Array(PNG.sync.write(out, { colorType: 2 })), rgb };
}

async function page(): Promise<Page> {
  return (await session.shared()).page;
}

/** Every distinct text the progress line showed while `run` ran (sampled every 50 ms). */
async function progressTexts(p: Page, run: () => Promise<unknown>): Promise<string[]> {
  const seen = new Set<string>();
  const bar = p.getByRole('progressbar', { name: 'Training progress', exact: true });
  let done = false;
  const sampling = (async () => {
    while (!done) {
      const text = await bar.evaluateAll((els) => els.map((el) => el.closest('div')?.querySelector('[aria-live]')?.textContent ?? '').join(' '));
      if (text.trim()) seen.add(text.replace(/\s+/g, ' ').trim());
      await p.waitForTimeout(50);
    }
  })();
  try {
    await run();
  } finally {
    done = true;
    await sampling;
  }
  return [...seen];
}

describe('pretrained features', () => {
  test('Train computes the backbone features once, with progress, and fits the head on them', async () => {
    const p = await page();
    await importZip(p, { name: 'photos-v1.zip', bytes: V1() });
    await chooseModel(p, 'Pretrained features');
    expect(await backboneNote(p)).toMatch(/^Features: MobileNetV2, ImageNet weights \(from nsfwjs 4\.4\.0, MIT\), layers block_10_depthwise_relu and out_relu side by side \(each averaged over its positions when it gives a map\), from 160×160 images\./);
    // 160 px, one of MobileNetV2's own sizes: half the arithmetic of its 224 px record, and a size a user may change.
    expect(await p.getByRole('spinbutton', { name: 'Image size', exact: true }).inputValue()).toBe('160');
    expect(await p.getByRole('spinbutton', { name: 'Image size', exact: true }).isEditable()).toBe(true);
    expect(await p.getByRole('checkbox', { name: 'Horizontal flip' }).isDisabled()).toBe(true);
    await setInputs(p, { epochs: 8, backend: 'WASM' });

    const texts = await progressTexts(p, async () => {
      await trainButton(p).click();
      await waitForResult(p, 300_000);
    });
    const extracting = texts.map((text) => EXTRACT_TEXT.exec(text)).filter((match) => match !== null);
    expect(extracting.length, `a "Computing features" progress line was shown (saw ${JSON.stringify(texts)})`).toBeGreaterThan(0);
    expect(extracting.every((match) => match[2]!.replace(/\D/g, '') === '80'), 'features of the 80 images').toBe(true);

    const { rows } = await metricsTable(p);
    expect(rows.map((row) => row.epoch)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    await expectCharts(p);
    // Four classes of photos: chance is 25 %.
    expect(rows.at(-1)!.val_accuracy, 'validation accuracy of the head').toBeGreaterThanOrEqual(0.6);

    const run = (await storedRun(p))!;
    expect(run.version.params).toMatchObject({ architecture: 'pretrained-features', imageSize: 160, augment: { flip: false, shift: false } });
    expect(run.version.run['featureCache']).toEqual({ computed: 80, cached: 0 });
    const head = run.model as unknown as { architecture: string; features: { backbone: string; layer: string; size: number }; inputShape: number[] };
    expect(head.architecture).toBe('pretrained-features');
    // The default: block_10's depthwise map (untouched ImageNet weights) beside the last map, both averaged.
    expect(head.features).toEqual({ backbone: run.version.params['backbone'], layer: 'block_10_depthwise_relu+out_relu', pooling: 'average', size: 160 });
    expect(head.inputShape, '384 + 1 280 features a row').toEqual([1664]);
    // The backbone is stored like any model, named by the head, kept by its own ref.
    const backbone = JSON.parse((await idbGet<{ json: string }>(p, 'objects', head.features.backbone))!.json) as { pretrained: { name: string } };
    expect(backbone.pretrained.name).toMatch(/^MobileNetV2/);
    expect(await idbGet(p, 'refs', `backbones/${head.features.backbone}`)).toMatchObject({ target: head.features.backbone });
    expect(totalRows(await featureRows(p)), 'one cached row per image').toBe(80);
    expect(await p.getByLabel('Feature cache', { exact: true }).innerText()).toMatch(/80 computed by this run, 0 from the feature cache/);
    expect(await alerts(p)).toBe('');
  });

  test('the same inputs again are a run-cache hit', async () => {
    const p = await page();
    const before = (await storedRun(p))!.runId;
    await trainButton(p).click();
    const hit = p.getByRole('status', { name: 'Run cache', exact: true });
    await hit.waitFor();
    expect(await hit.innerText()).toMatch(/^Up to date: same inputs as the last training run, not retrained\./);
    expect((await storedRun(p))!.runId).toBe(before);
  });

  test('retraining with other params reads every feature from the cache', async () => {
    const p = await page();
    await setInputs(p, { epochs: 3 });
    const texts = await progressTexts(p, () => trainAndWait(p, () => trainButton(p).click(), 120_000));
    expect(texts.filter((text) => EXTRACT_TEXT.test(text)), 'no feature computation').toEqual([]);
    const run = (await storedRun(p))!;
    expect(run.version.history).toHaveLength(3);
    expect(run.version.run['featureCache']).toEqual({ computed: 0, cached: 80 });
  });

  test('Classify an image runs the backbone and the head', async () => {
    const p = await page();
    const image = validationImage(PHOTOS(), 'animals', 0);
    const shown = await classify(p, { ...image, mimeType: 'image/png' });
    expect(shown.map((row) => row.label).sort()).toEqual(['animals', 'birds', 'food', 'plants']);
    expect(shown.reduce((sum, row) => sum + row.probability, 0)).toBeCloseTo(1, 3);
  });

  test('Download model gives one tfjs model that stock tf.loadLayersModel runs in Node, with the probabilities the page shows', async () => {
    const p = await page();
    const files = await downloadsOf(p, 'Download model', 3);
    const metadata = JSON.parse(strFromU8(files.get('metadata.json')!)) as { imageSize: number; labels: string[]; architecture: string };
    expect(metadata).toMatchObject({ imageSize: 160, architecture: 'pretrained-features', labels: ['animals', 'birds', 'food', 'plants'] });
    // A 160×160 opaque PNG: the page decodes it without resizing, Node reads the same pixels.
    const image = squarePng(validationImage(PHOTOS(), 'birds', 1).buffer, 160);
    const shown = await classify(p, { name: 'bird-160.png', mimeType: 'image/png', buffer: Buffer.from(image.png) });

    await tf.setBackend('cpu');
    const modelJson = JSON.parse(strFromU8(files.get('model.json')!)) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0]!.weights, weightData: files.get('weights.bin')!.slice().buffer }),
    );
    const input = tf.tensor4d(Float32Array.from(image.rgb, (value) => value / 255), [1, 160, 160, 3]);
    const output = model.predict(input) as tf.Tensor;
    const probabilities = Array.from(await output.data());
    tf.dispose([input, output]);
    model.dispose();
    for (const { label, probability } of shown) {
      expect(probabilities[metadata.labels.indexOf(label)], `P(${label}) in Node as in the page`).toBeCloseTo(probability, 3);
    }
  });

  test('Download ONNX gives one model.onnx, backbone and head, that ONNX Runtime runs with the page’s probabilities to 1e-4', async () => {
    const p = await page();
    const files = await downloadsOf(p, 'Download ONNX', 1, p.getByRole('region', { name: 'Training', exact: true }));
    const session = await ort.InferenceSession.create(files.get('model.onnx')!);
    const labels = ['animals', 'birds', 'food', 'plants'];
    for (const [label, index] of [['animals', 1], ['food', 0], ['plants', 2]] as const) {
      // 160×160 opaque PNGs: the page decodes them without resizing, ONNX Runtime gets the same pixels.
      const image = squarePng(validationImage(PHOTOS(), label, index).buffer, 160);
      const shown = await classify(p, { name: `${label}-${index}-160.png`, mimeType: 'image/png', buffer: Buffer.from(image.png) });
      const probabilities = await onnxProbabilities(session, image.rgb, 160, 160);
      expect(probabilities).toHaveLength(4);
      for (const { label: name, probability } of shown) {
        expect(Math.abs(probabilities[labels.indexOf(name)]! - probability), `${label} ${index}: P(${name}) in ONNX Runtime vs the page`).toBeLessThan(1e-4);
      }
    }
  });

  test('committed, the timeline names the model', async () => {
    const p = await page();
    await commitOk(p, 'Head on MobileNetV2 features', 'v1.0');
    const [entry] = await timeline(p);
    expect(entry!.meta).toContain('Pretrained features');
  });

  test('its DVC project’s model.weights.h5 holds every weight of the joined model (int8-quantized backbone read as tfjs reads it), as h5py reads them', async () => {
    const p = await page();
    const files = await downloadsOf(p, 'Download as DVC project', 1, versionItem(p, 'v1.0'));
    const project = unzipSync([...files.values()][0]!);
    const { worst, weights } = kerasWeightsCheck(project);
    // MobileNetV2 up to out_relu (its convolutions and batch norms) and the head's two Dense layers.
    expect(weights.length).toBeGreaterThan(100);
    expect(weights.slice(-4)).toEqual(['head_dense/kernel', 'head_dense/bias', 'head_output/kernel', 'head_output/bias']);
    expect(Object.keys(worst)).toEqual(weights);
    for (const [name, difference] of Object.entries(worst)) expect(difference, name).toBeLessThanOrEqual(1e-6);

    // The page's pipeline, locked; features.py and evaluate.py (the head's model.pt on features/)
    // rerun on the unpacked project write what the page exported, byte for byte.
    expect(strFromU8(project['dvc.lock']!).match(/^ {2}\w+:$/gm)).toEqual(['  validate:', '  features:', '  train:', '  evaluate:']);
    const outputs = ['features/train.npy', 'features/validation_labels.npy', 'features/classes.json', 'evaluation.json'];
    const rerun = rerunStages(project, ['features.py', 'evaluate.py'], outputs);
    for (const path of outputs) expect(rerun[path], path).toEqual(project[path]);
  });

  test('more images: features are computed for the new ones only', async () => {
    const p = await page();
    await importZip(p, { name: 'photos-v2.zip', bytes: subsetZip(PHOTOS(), { train: 24, validation: 6 }) });
    await trainAndWait(p, () => trainButton(p).click(), 300_000);
    const run = (await storedRun(p))!;
    expect(run.version.run['featureCache']).toEqual({ computed: 40, cached: 80 });
    expect(totalRows(await featureRows(p))).toBe(120);
  });

  test('Cancel while features are computed keeps the finished ones; the next Train computes the rest', async () => {
    const p = await page();
    // Another layer is another feature set: none of its rows exist yet. At 256 px the computation
    // lasts long enough (about 2.5× the default 160 px's arithmetic) to be cancelled midway.
    const layer = p.getByRole('combobox', { name: 'Feature layer', exact: true });
    await layer.selectOption('block_10_project_BN');
    await setInputs(p, { imageSize: 256 });
    const before = await featureRows(p);
    await trainButton(p).click();
    await p.getByText(EXTRACT_TEXT).waitFor({ timeout: 120_000 });
    await p.getByRole('button', { name: 'Cancel', exact: true }).click();
    await p.getByRole('status').filter({ hasText: 'Cancelled. The features computed so far are kept' }).waitFor();
    const after = await featureRows(p);
    const newSet = Object.keys(after).find((set) => !(set in before));
    const kept = newSet ? after[newSet]! : 0;
    expect(kept, 'rows kept from the cancelled computation').toBeGreaterThan(0);
    expect(kept).toBeLessThan(120);

    await trainAndWait(p, () => trainButton(p).click(), 300_000);
    const run = (await storedRun(p))!;
    expect(run.version.params).toMatchObject({ featureLayer: 'block_10_project_BN', imageSize: 256 });
    expect(run.version.run['featureCache']).toEqual({ computed: 120 - kept, cached: kept });
  });

  test('Compare names the models and shows the feature layer that changed', async () => {
    const p = await page();
    await commitOk(p, 'Head on block_10 features', 'v2.0');
    await tickCompare(p, 'v1.0');
    await tickCompare(p, 'v2.0');
    const region = comparison(p);
    await region.waitFor();
    expect((await region.getByLabel('Models compared', { exact: true }).innerText()).trim()).toBe('Model: Pretrained features → Pretrained features');
    const params = await readTable(region.getByRole('table', { name: 'Params changed', exact: true }));
    expect(params.rows).toContainEqual(['featureLayer', '"block_10_depthwise_relu+out_relu"', '"block_10_project_BN"']);
    expect(params.rows).toContainEqual(['imageSize', '160', '256']);
  });

  test('another Image size is another feature set: computed at that size, said in the page and in Compare', async () => {
    const p = await page();
    await setInputs(p, { imageSize: 128 });
    expect(await backboneNote(p)).toMatch(/, from 128×128 images\./);
    await trainAndWait(p, () => trainButton(p).click(), 300_000);
    const run = (await storedRun(p))!;
    expect(run.version.params).toMatchObject({ imageSize: 128, featureLayer: 'block_10_project_BN' });
    expect(run.version.run['featureCache'], 'no row at 256 px serves 128 px').toEqual({ computed: 120, cached: 0 });
    expect((run.model as unknown as { features: { size: number } }).features.size).toBe(128);
    await commitOk(p, 'Head on 128 px features', 'v3.0');
    await tickCompare(p, 'v1.0'); // unticked: v2.0 against v3.0 now
    await tickCompare(p, 'v3.0');
    const params = await readTable(comparison(p).getByRole('table', { name: 'Params changed', exact: true }));
    expect(params.rows).toContainEqual(['imageSize', '256', '128']);
  });
});
