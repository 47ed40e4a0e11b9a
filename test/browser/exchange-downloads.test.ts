// "Download model" and "Download as DVC project" through the UI: a small Fashion-MNIST subset
// trained one epoch on WASM (seconds here), then the downloaded files checked the way a user's
// own code would use them: the tfjs files loaded by stock tf.loadLayersModel in Node, the
// project zip unpacked and its data.dvc compared with what the page shows.
import { createHash } from 'node:crypto';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { unzipSync, strFromU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { PNG } from 'pngjs';
import { classify, downloadsOf, kerasWeightsCheck, onnxProbabilities, rerunStages } from './exchange-helpers';
import { browsers, usage } from './fixtures';
import { FASHION, importZip, setInputs, subsetZip, trainButton, validationImage, waitForResult } from './training-helpers';

const session = browsers({ perTest: false });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('exporting what was trained', () => {
  let page: Page;
  let modelFiles: Map<string, Uint8Array>;

  test('Download model gives files that stock tfjs loads and that predict what the page does', async () => {
    ({ page } = await session.open());
    await importZip(page, { name: 'small.zip', bytes: subsetZip(FASHION(), { train: 40, validation: 20 }) });
    // 28 px: Fashion-MNIST's own size, so preparing an image is the same plain decode in Node.
    await setInputs(page, { imageSize: 28, epochs: 1, backend: 'WASM' });
    await trainButton(page).click();
    await waitForResult(page);

    const files = await downloadsOf(page, 'Download model', 3);
    modelFiles = files;
    expect([...files.keys()].sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
    const modelJson = JSON.parse(strFromU8(files.get('model.json')!));
    expect(modelJson.format).toBe('layers-model');
    const weights = files.get('weights.bin')!;
    const model = await tf.loadLayersModel(
      tf.io.fromMemory({ modelTopology: modelJson.modelTopology, weightSpecs: modelJson.weightsManifest[0].weights, weightData: weights.slice().buffer }),
    );
    expect(model.inputs[0]!.shape).toEqual([null, 28, 28, 3]);
    const metadata = JSON.parse(strFromU8(files.get('metadata.json')!));
    expect(metadata.labels).toEqual(['sandal', 'sneaker']);
    expect(metadata.imageSize).toBe(28);

    // The same images through "Classify an image" in the page and through the files in Node.
    for (const image of [validationImage(FASHION(), 'sandal', 2), validationImage(FASHION(), 'sneaker', 2)]) {
      const shown = await classify(page, image);
      const { data, width, height } = PNG.sync.read(image.buffer);
      const rgb = Float32Array.from({ length: width * height * 3 }, (_, i) => data[Math.floor(i / 3) * 4 + (i % 3)]! / 255);
      const output = model.predict(tf.tensor4d(rgb, [1, height, width, 3])) as tf.Tensor;
      const probabilities = Array.from(await output.data());
      for (const { label, probability } of shown) {
        expect(probabilities[metadata.labels.indexOf(label)], `${image.name}: ${label}`).toBeCloseTo(probability, 5);
      }
    }
  });

  test('Download ONNX gives model.onnx that ONNX Runtime runs on validation images with the page\'s probabilities', async () => {
    const files = await downloadsOf(page, 'Download ONNX', 1, page.getByRole('region', { name: 'Training', exact: true }));
    const session = await ort.InferenceSession.create(files.get('model.onnx')!);
    for (const label of ['sandal', 'sneaker']) {
      for (const index of [0, 1, 2]) {
        const image = validationImage(FASHION(), label, index);
        const shown = await classify(page, image);
        const { data, width, height } = PNG.sync.read(image.buffer);
        const rgb = Uint8Array.from({ length: width * height * 3 }, (_, i) => data[Math.floor(i / 3) * 4 + (i % 3)]!);
        const probabilities = await onnxProbabilities(session, rgb, height, width);
        for (const { label: name, probability } of shown) {
          expect(Math.abs(probabilities[['sandal', 'sneaker'].indexOf(name)]! - probability), `${image.name}: ${name}`).toBeLessThan(1e-4);
        }
      }
    }
  });

  test('Download as DVC project gives data/, a data.dvc equal to the page\'s, the model and train.py', async () => {
    await page.getByLabel('Message').fill('Small model');
    await page.getByLabel('Tag', { exact: true }).fill('v1.0');
    await page.getByRole('button', { name: 'Commit' }).click();
    const item = page.getByRole('list', { name: 'Versions' }).getByRole('listitem').filter({ hasText: 'v1.0' });
    await item.waitFor();
    const files = await downloadsOf(page, 'Download as DVC project', 1, item);
    const [name, zip] = [...files][0]!;
    expect(name).toBe('pawprint-v1.0.zip');
    const project = unzipSync(zip);
    await page.getByRole('button', { name: 'Show data.dvc' }).click();
    const shown = await page.getByLabel('data.dvc', { exact: true }).textContent();
    expect(strFromU8(project['data.dvc']!)).toBe(shown);
    expect(Object.keys(project).filter((path) => path.startsWith('data/'))).toHaveLength(120);
    for (const path of ['model/model.json', 'model/weights.bin', 'model/metadata.json', 'model.dvc', 'model.pt', 'metrics.csv', 'params.yaml', 'dvc.yaml', 'dvc.lock', 'train.py', 'validate.py', 'validation.json', 'evaluate.py', 'evaluation.json']) {
      expect(project[path], path).toBeDefined();
    }
    // The page's pipeline, locked: validate.py and evaluate.py rerun on the unpacked project write
    // the page's validation.json and evaluation.json byte for byte (28 px: no resampling apart).
    expect(strFromU8(project['dvc.lock']!).match(/^ {2}\w+:$/gm)).toEqual(['  validate:', '  train:', '  evaluate:']);
    const rerun = rerunStages(project, ['validate.py', 'evaluate.py'], ['validation.json', 'evaluation.json']);
    expect(strFromU8(rerun['validation.json']!)).toBe(strFromU8(project['validation.json']!));
    expect(strFromU8(rerun['evaluation.json']!)).toBe(strFromU8(project['evaluation.json']!));
    expect(JSON.parse(strFromU8(rerun['validation.json']!))).toMatchObject({ images: 120, undecodable: [] });
    // dvc.lock records the data set the page shows in data.dvc, and the model.pt beside it.
    const lock = strFromU8(project['dvc.lock']!);
    const dataMd5 = /md5: ([0-9a-f]{32}\.dir)/.exec(shown ?? '')?.[1];
    expect(lock).toContain(`    - path: data\n      hash: md5\n      md5: ${dataMd5}\n`);
    expect(lock).toContain(`    - path: model.pt\n      hash: md5\n      md5: ${createHash('md5').update(project['model.pt']!).digest('hex')}\n      size: ${project['model.pt']!.byteLength}\n`);
    expect(strFromU8(project['metrics.csv']!).split('\r\n')[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');

    // model.weights.h5, read by h5py as Keras 3 would find it, holds the page's weights: every one of the 10.
    const { worst, weights } = kerasWeightsCheck(project);
    expect(weights).toHaveLength(10);
    expect(Object.keys(worst)).toEqual(weights);
    for (const [name, difference] of Object.entries(worst)) expect(difference, name).toBeLessThanOrEqual(1e-6);
  });

  test('a model with a layer ONNX cannot take: Download ONNX says which, and nothing is downloaded', async () => {
    // The trained model's files, with a layer Pawprint has no ONNX op for in front.
    const model = tf.sequential({ name: 'odd' });
    model.add(tf.layers.upSampling2d({ name: 'grow', size: [2, 2], inputShape: [28, 28, 3] }));
    model.add(tf.layers.globalAveragePooling2d({ name: 'pool' }));
    model.add(tf.layers.dense({ name: 'output', units: 2, activation: 'softmax' }));
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (saved) => ((artifacts = saved), { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } })));
    const weights = new Uint8Array(artifacts!.weightData as ArrayBuffer);
    const metadata = JSON.parse(strFromU8(modelFiles.get('metadata.json')!));
    metadata.weights = { sha256: createHash('sha256').update(weights).digest('hex'), size: weights.byteLength };
    const modelJson = { format: 'layers-model', modelTopology: artifacts!.modelTopology, weightsManifest: [{ paths: ['weights.bin'], weights: artifacts!.weightSpecs }] };
    await page.getByLabel('Import model', { exact: true }).setInputFiles([
      { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(modelJson)) },
      { name: 'weights.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(weights) },
      { name: 'metadata.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(metadata)) },
    ]);
    const training = page.getByRole('region', { name: 'Training', exact: true });
    await training.getByRole('region', { name: 'Imported model', exact: true }).waitFor();

    let downloads = 0;
    page.on('download', () => downloads++);
    const stored = await usage(page);
    await training.getByRole('button', { name: 'Download ONNX', exact: true }).click();
    await expect.poll(() => training.getByRole('alert').allInnerTexts()).toEqual([
      'ONNX not written: Layer “grow” is a UpSampling2D, which Pawprint cannot write as ONNX yet. Nothing was downloaded.',
    ]);
    expect(downloads).toBe(0);
    expect(await usage(page), 'nothing stored or removed').toEqual(stored);
  });
});
