// "Download model" and "Download as DVC project" through the UI: a small Fashion-MNIST subset
// trained one epoch on WASM (seconds here), then the downloaded files checked the way a user's
// own code would use them: the tfjs files loaded by stock tf.loadLayersModel in Node, the
// project zip unpacked and its data.dvc compared with what the page shows.
import * as tf from '@tensorflow/tfjs';
import { unzipSync, strFromU8 } from 'fflate';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { PNG } from 'pngjs';
import { classify, downloadsOf } from './exchange-helpers';
import { browsers } from './fixtures';
import { FASHION, importZip, setInputs, subsetZip, trainButton, validationImage, waitForResult } from './training-helpers';

const session = browsers({ perTest: false });

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('exporting what was trained', () => {
  let page: Page;

  test('Download model gives files that stock tfjs loads and that predict what the page does', async () => {
    ({ page } = await session.open());
    await importZip(page, { name: 'small.zip', bytes: subsetZip(FASHION(), { train: 40, validation: 20 }) });
    // 28 px: Fashion-MNIST's own size, so preparing an image is the same plain decode in Node.
    await setInputs(page, { imageSize: 28, epochs: 1, backend: 'WASM' });
    await trainButton(page).click();
    await waitForResult(page);

    const files = await downloadsOf(page, 'Download model', 3);
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
    for (const path of ['model/model.json', 'model/weights.bin', 'model/metadata.json', 'model.dvc', 'metrics.csv', 'params.yaml', 'dvc.yaml', 'train.py']) {
      expect(project[path], path).toBeDefined();
    }
    expect(strFromU8(project['metrics.csv']!).split('\r\n')[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
  });
});
