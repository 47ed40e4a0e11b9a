// "Import backbone" through the page: a small tfjs image model (model.json + two weight
// shards) becomes a backbone to choose and train on; damaged or incomplete files are refused
// with a message, and nothing is stored.
import * as tf from '@tensorflow/tfjs';
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { tinyBackbone } from '../unit/features-fixtures';
import { browsers, dataset } from './fixtures';
import { backboneNote, chooseModel } from './pretrained-helpers';
import { alerts, importZip, setInputs, storedRun, subsetZip, trainButton, waitForResult } from './training-helpers';
import { refs } from './versions-helpers';

const session = browsers({ perTest: false });

async function page(): Promise<Page> {
  return (await session.shared()).page;
}

/** The tiny backbone as the files a tfjs save gives, for the file input. */
async function backboneFiles(): Promise<{ name: string; mimeType: string; buffer: Buffer }[]> {
  await tf.setBackend('cpu');
  const { record, weights } = await tinyBackbone();
  const half = Math.floor(weights.byteLength / 2);
  const json = { format: 'layers-model', modelTopology: record.modelTopology, weightsManifest: [{ paths: ['group1-shard1of2.bin', 'group1-shard2of2.bin'], weights: record.weightSpecs }] };
  return [
    { name: 'model.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(json)) },
    { name: 'group1-shard1of2.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(weights.slice(0, half)) },
    { name: 'group1-shard2of2.bin', mimeType: 'application/octet-stream', buffer: Buffer.from(weights.slice(half)) },
  ];
}

const importInput = (p: Page) => p.getByLabel('Import backbone', { exact: true });
const backboneRefs = async (p: Page) => Object.keys(await refs(p)).filter((name) => name.startsWith('backbones/'));

describe('Import backbone', () => {
  test('damaged or incomplete files are refused in the page; nothing is stored', async () => {
    const p = await page();
    await importZip(p, { name: 'photos.zip', bytes: subsetZip(dataset('photos/data.zip'), { train: 6, validation: 2 }) });
    await chooseModel(p, 'Pretrained features');
    await backboneNote(p);
    const before = await backboneRefs(p);
    const good = await backboneFiles();
    const cases: [typeof good, RegExp][] = [
      [good.slice(0, 2), /^Backbone not imported: Missing group1-shard2of2\.bin: pick every weight file model\.json names, with it\. Nothing was stored\.$/],
      [[good[0]!, good[1]!, { ...good[2]!, buffer: good[2]!.buffer.subarray(4) }], /^Backbone not imported: The weight files hold \d+ bytes, but model\.json describes \d+: a file is missing, truncated or from another model\. Nothing was stored\.$/],
      [[{ ...good[0]!, buffer: Buffer.from('{"format": "layers-model"') }, good[1]!, good[2]!], /^Backbone not imported: model\.json is not valid JSON/],
    ];
    for (const [files, message] of cases) {
      await importInput(p).setInputFiles(files);
      await expect.poll(() => alerts(p)).toMatch(message);
      expect(await backboneRefs(p)).toEqual(before);
    }
  });

  test('a good backbone becomes the chosen one, and trains with its input size and range', async () => {
    const p = await page();
    await p.getByRole('combobox', { name: 'Backbone input range', exact: true }).selectOption('[-1, 1]');
    await importInput(p).setInputFiles(await backboneFiles());
    await expect.poll(() => backboneNote(p)).toMatch(/^Features: tiny \(imported\), layer tail_pool \(averaged over its positions when it gives a map\), from 8×8 images\./);
    expect(await alerts(p)).toBe('');
    expect(await p.getByRole('combobox', { name: 'Backbone', exact: true }).inputValue()).toHaveLength(64);

    await setInputs(p, { epochs: 2, batchSize: 8, backend: 'WASM' });
    await trainButton(p).click();
    await waitForResult(p, 120_000);
    const run = (await storedRun(p))!;
    const chosen = await p.getByRole('combobox', { name: 'Backbone', exact: true }).inputValue();
    expect(run.version.params).toMatchObject({ architecture: 'pretrained-features', backbone: chosen, featureLayer: 'tail_pool', imageSize: 8 });
    expect((run.model as unknown as { features: unknown }).features).toEqual({ backbone: chosen, layer: 'tail_pool', pooling: 'none', size: 8 });
    expect(await backboneRefs(p)).toContain(`backbones/${chosen}`);
  });
});
