import * as tf from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  batchItems,
  monitoringCsv,
  nothingPredictedMessage,
  percentile,
  populationStabilityIndex,
  readMonitoringRecords,
  saveMonitoringRecord,
  summarizeRecord,
  trainingDistribution,
} from '../../src/core/monitoring';
import { predictBatch } from '../../src/core/monitoring/predict-batch';
import type { MonitoringRecord } from '../../src/core/objects';
import { deleteVersion, listTimeline, untag, versionStorage } from '../../src/core/versions';
import { pngHeader, text } from './dataset-fixtures';
import { tutorialHistory } from './remote-fixtures';
import { at, refSnapshot } from './versions-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const record = (predictions: Partial<MonitoringRecord['predictions'][number]>[], classNames = ['cats', 'dogs']): MonitoringRecord => ({
  kind: 'monitoring',
  schema: 1,
  version: 'a'.repeat(64),
  model: 'b'.repeat(64),
  name: 'batch',
  createdAt: at(0).toISOString(),
  backend: 'cpu',
  classNames,
  predictions: predictions.map((p, i) => ({ name: `${i}.png`, sha256: 'c'.repeat(64), size: 10, label: null, predicted: 0, probabilities: [1, 0], latencyMs: 1, ...p })),
  errors: [],
  durationMs: 1000,
});

describe('monitoring figures', () => {
  test('percentiles interpolate between ranks like numpy.percentile', () => {
    const values = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([5.5, 9.55, 9.91]);
    expect(percentile([7], 99)).toBe(7);
    expect(percentile([], 50)).toBeNaN();
  });

  test('PSI: 0 for the same shares, large for a batch of one class, finite for a class never seen', () => {
    expect(populationStabilityIndex([40, 60], [400, 600])).toBeCloseTo(0, 12);
    // (0.1 − 0.5)·ln(0.1/0.5) + (0.9 − 0.5)·ln(0.9/0.5)
    expect(populationStabilityIndex([10, 90], [50, 50])).toBeCloseTo(-0.4 * Math.log(0.2) + 0.4 * Math.log(1.8), 12);
    const never = populationStabilityIndex([0, 100], [50, 50]);
    expect(Number.isFinite(never) && never > 3).toBe(true);
  });

  test('a summary: latency, images/s, distribution with drift, confidence histogram, low confidence and labelled accuracy', () => {
    const batch = record([
      { predicted: 1, probabilities: [0.05, 0.95], latencyMs: 2, label: 'dogs' },
      { predicted: 1, probabilities: [0.45, 0.55], latencyMs: 4, label: 'cats' },
      { predicted: 1, probabilities: [0, 1], latencyMs: 6, label: null },
      { predicted: 0, probabilities: [0.7, 0.3], latencyMs: 8, label: 'cats' },
    ]);
    const summary = summarizeRecord(batch, [500, 500], { drift: 0.25, lowConfidence: 0.6 });
    expect(summary).toMatchObject({
      images: 4,
      errors: 0,
      imagesPerSecond: 4,
      predicted: [1, 3],
      training: [500, 500],
      confidence: [0, 0, 0, 0, 0, 1, 0, 1, 0, 2],
      lowConfidence: { count: 1, rate: 0.25 },
      accuracy: { labelled: 3, correct: 2, rate: 2 / 3 },
    });
    expect(summary.latency).toEqual({ p50: 5, p95: percentile([2, 4, 6, 8], 95), p99: percentile([2, 4, 6, 8], 99) });
    expect(summary.psi).toBeCloseTo(populationStabilityIndex([1, 3], [1, 1]), 12);
    expect(summary.drift).toBe(summary.psi > 0.25);
    expect(summarizeRecord(batch, [500, 500], { drift: 10, lowConfidence: 0.6 }).drift).toBe(false);
  });

  test('CSV: one row per image with a probability per class, then the errors; names with commas quoted', () => {
    const batch = { ...record([{ name: 'a, "b".png', predicted: 1, probabilities: [0.25, 0.75], latencyMs: 3, label: 'dogs' }], ['cats', 'dogs, big']), errors: [{ name: 'x.txt', reason: 'not an image' }] };
    expect(monitoringCsv(batch).split('\r\n')).toEqual([
      'file,sha256,label,predicted,confidence,latency_ms,p_cats,"p_dogs, big",error',
      `"a, ""b"".png",${'c'.repeat(64)},dogs,"dogs, big",0.75,3,0.25,0.75,`,
      'x.txt,,,,,,,,not an image',
      '',
    ]);
  });

  test('the training distribution is the split the version trained on, per class of the model', async () => {
    const { store, v2 } = await tutorialHistory();
    const version = await store.getObject(v2, 'version');
    const dataset = await store.getObject(version.dataset, 'dataset');
    // 1/100 of the tutorial, twice: 10 + 5 train images per class; validation comes from its folder.
    expect(trainingDistribution(version, dataset, ['cats', 'dogs'])).toEqual([10, 10]);
    expect(trainingDistribution(version, dataset, ['dogs', 'unknown'])).toEqual([10, 0]);
  });
});

describe('batch input', () => {
  test('images, zips and folders: OS files skipped, non-images and damaged zips named, labels from class folders', async () => {
    const png = (n: number) => new Uint8Array([...pngHeader(8, 8), n]);
    const zip = zipSync({ 'boots/1.png': png(1), 'cats/2.png': png(2), '__MACOSX/._x.png': png(3), 'notes.txt': text('hi') });
    const files = [
      { path: 'shots/cats/a.png', blob: new Blob([png(4)]) },
      { path: 'shots/b.png', blob: new Blob([png(5)]) },
      { path: 'shots/.DS_Store', blob: new Blob([text('x')]) },
      { path: 'more.zip', blob: new Blob([zip]) },
      { path: 'broken.zip', blob: new Blob([text('PK not really')]) },
      { path: 'readme.md', blob: new Blob([text('# hi')]) },
    ];
    const { items, errors } = await batchItems(files, ['cats', 'dogs']);
    expect(items.map(({ name, label }) => [name, label])).toEqual([
      ['shots/cats/a.png', 'cats'],
      ['shots/b.png', null],
      ['more.zip/boots/1.png', null],
      ['more.zip/cats/2.png', 'cats'],
    ]);
    expect(errors.map((error) => error.name)).toEqual(['more.zip/notes.txt', 'broken.zip', 'readme.md']);
    expect(errors[0]!.reason).toBe('not an image Pawprint reads (JPEG, PNG, WebP, GIF or BMP)');
    expect(errors[1]!.reason).toMatch(/^could not be opened as a zip/);
  });

  test('a batch in which nothing could be predicted is refused with what was wrong: three files named, the rest counted', () => {
    const errors = ['a.txt', 'b.png', 'c.txt', 'd.txt', 'e.txt'].map((name) => ({ name, reason: name.endsWith('.png') ? 'could not be decoded (bad)' : 'not an image' }));
    expect(nothingPredictedMessage('shots/', errors.slice(0, 2))).toBe(
      'No image in shots/ could be predicted, so no batch was kept. 2 files could not be used: a.txt: not an image; b.png: could not be decoded (bad).',
    );
    expect(nothingPredictedMessage('shots/', errors)).toBe(
      'No image in shots/ could be predicted, so no batch was kept. 5 files could not be used: a.txt: not an image; b.png: could not be decoded (bad); c.txt: not an image; and 2 more files.',
    );
    expect(nothingPredictedMessage('litter/', [])).toBe('litter/ holds no image to predict, so no batch was kept.');
  });

  test('predictBatch: one prediction per decodable image with its own latency; an image that does not decode is an error', async () => {
    const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 3] }), tf.layers.dense({ units: 2, activation: 'softmax', kernelInitializer: 'ones' })] });
    const items = [1, 2, 3].map((n) => ({ name: `${n}.png`, bytes: new Uint8Array([n]), label: null }));
    const decode = async (blob: Blob, size: number) => {
      const [n] = new Uint8Array(await blob.arrayBuffer());
      if (n === 2) throw new Error('bad Huffman table');
      return { rgba: new Uint8ClampedArray(size * size * 4).fill(n! * 50), width: size, height: size };
    };
    const progress: number[] = [];
    const { predictions, errors } = await predictBatch((images) => model.predict(images) as tf.Tensor, 2, items, decode, { onProgress: ({ done }) => progress.push(done) });
    expect(predictions.map((p) => p.name)).toEqual(['1.png', '3.png']);
    expect(errors).toEqual([{ name: '2.png', reason: 'could not be decoded (bad Huffman table)' }]);
    for (const p of predictions) {
      expect(p.probabilities).toHaveLength(2);
      expect(p.probabilities[0]! + p.probabilities[1]!).toBeCloseTo(1, 6);
      expect(p.latencyMs).toBeGreaterThan(0);
    }
    expect(progress).toEqual([1, 2, 3]);
  });
});

describe('records in the store', () => {
  test('a record keeps its images, counts in its version’s storage and goes with its version', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    const version = await store.getObject(v1, 'version');
    const { weightsSize } = await store.getObject(version.model!, 'model');
    const bytes = [text('image one'), text('image two')];
    const saved = await saveMonitoringRecord(store, {
      version: v1,
      model: version.model!,
      name: 'two.zip',
      createdAt: at(5).toISOString(),
      backend: 'cpu',
      classNames: ['cats', 'dogs'],
      predictions: bytes.map((b, i) => ({ name: `${i}.png`, bytes: b, label: null, predicted: i, probabilities: [1 - i, i], latencyMs: 1 })),
      errors: [{ name: 'x.txt', reason: 'not an image' }],
      durationMs: 5,
    });
    expect(saved.record.predictions.map((p) => p.size)).toEqual([9, 9]);
    expect((await refSnapshot(store))[`monitoring/${v1}/${saved.id}`]).toBe(saved.id);
    expect((await readMonitoringRecords(store)).map((r) => r.id)).toEqual([saved.id]);
    const storage = (await versionStorage(store)).versions.find((entry) => entry.id === v1)!;
    expect(storage.monitoringBytes).toBe(18);

    const usageBefore = await store.usage();
    // v1 is the parent of v2 and shares its data, not its images: deleting it frees them.
    await untag(store, 'v1.0');
    await deleteVersion(store, v1);
    expect(await readMonitoringRecords(store)).toEqual([]);
    const usageAfter = await store.usage();
    // Its images and its model's weights; the data it shares with v2 stays.
    const model = await store.getObject(version.model!, 'model').catch(() => null);
    expect(model).toBeNull();
    expect(usageBefore.blobBytes - usageAfter.blobBytes).toBe(18 + weightsSize);
    expect(await store.getBlobRecord(saved.record.predictions[0]!.sha256)).toBeUndefined();
    expect((await listTimeline(store)).map((item) => item.id)).toEqual([v2]);
    expect((await store.verify()).ok).toBe(true);
  });
});
