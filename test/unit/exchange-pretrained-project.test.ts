// "Download as DVC project" of a head on pretrained features: bottleneck/ holds the page's
// features, features.py writes them per split byte for byte as the page trained on them (its
// split and hold-out too), and train.py trains the head on them with Debian's PyTorch.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportDvcProject } from '../../src/core/exchange/dvc-project';
import { npyFloat32 } from '../../src/core/exchange/npy';
import { storeBackbone } from '../../src/core/features/backbones';
import { loadExtractor } from '../../src/core/features/extractor';
import { buildFeatureHead } from '../../src/core/features/head';
import { loadFeatureData } from '../../src/core/runs/feature-data';
import { saveRun } from '../../src/core/runs/save-run';
import { openStore } from '../../src/core/store';
import { DEFAULT_PARAMS, type TrainParams } from '../../src/core/train/params';
import { trainModel } from '../../src/core/train/train';
import type { Example } from '../../src/core/train/types';
import { commitVersion } from '../../src/core/versions/commit-version';
import { SIZE, decode, pictures, tinyBackbone, workspaceOf, type Picture } from './features-fixtures';

const PYTHON = '/usr/bin/python3';
const folders: string[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function extract(zip: Uint8Array): { folder: string; files: Record<string, Uint8Array> } {
  const folder = mkdtempSync(join(tmpdir(), 'pawprint-features-'));
  folders.push(folder);
  const files = unzipSync(zip);
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), bytes);
  }
  return { folder, files };
}

function run(folder: string, script: string): string {
  const done = spawnSync(PYTHON, [script], { cwd: folder, encoding: 'utf8', timeout: 540_000 });
  expect(done.status, `${script} failed (python3-torch, python3-yaml installed?):\n${done.stderr}\n${String(done.error ?? '')}`).toBe(0);
  return done.stdout;
}

/** A trained head on the tiny backbone, committed, and its exported project. */
async function exported(images: Picture[]) {
  const store = await openStore({ name: crypto.randomUUID() });
  const files = await tinyBackbone();
  const { id, record } = await storeBackbone(store, files);
  const params: TrainParams = { ...DEFAULT_PARAMS, architecture: 'pretrained-features', backbone: id, featureLayer: 'block', imageSize: SIZE, epochs: 4, batchSize: 4, learningRate: 0.01 };
  const extractor = await loadExtractor(record, files.weights, 'block');
  const { id: datasetId } = await workspaceOf(store, images);
  const data = await loadFeatureData(store, params, async () => extractor, decode);
  const head = buildFeatureHead({ dims: data.dims, classes: 2, seed: params.seed });
  const result = await trainModel({ model: head, inputs: data.inputs, train: data.splits.train, validation: data.splits.validation, classes: 2, params, signal: new AbortController().signal });
  await saveRun(store, {
    model: head,
    datasetId: datasetId!,
    parent: null,
    params,
    history: result.history,
    run: { backend: 'cpu', adapter: 'cpu', appVersion: '0', seed: params.seed, durationMs: 1, imagesPerSecond: 1, stopped: false, heldOut: data.splits.heldOut, classNames: data.classNames, evaluation: { confusion: [], perClass: [], accuracy: 1, worst: [] }, deterministic: true, featureCache: { computed: data.extracted, cached: data.cached } },
    features: { backbone: id, layer: 'block', pooling: extractor.pooling },
  });
  const { id: versionId } = await commitVersion(store, { message: 'Head on tiny features', tag: 'v1.0' });
  const rowsOf = async (examples: readonly Example[]) => {
    const batch = data.inputs.batch(examples);
    const values = (await batch.data()) as Float32Array;
    batch.dispose();
    return npyFloat32(values, [examples.length, data.dims]);
  };
  return { zip: await exportDvcProject(store, versionId), data, rowsOf };
}

const IMAGES = [...pictures('train', 'a', 6), ...pictures('train', 'b', 6), ...pictures('validation', 'a', 3), ...pictures('validation', 'b', 3)];

describe('the DVC project of a head on pretrained features', () => {
  // Training, exporting and running Python take seconds, more on a busy machine than vitest's 5 s.
  it('has the features and train stages, bottleneck/ and its .dvc, and the two scripts', async () => {
    const { files } = extract((await exported(IMAGES)).zip);
    const names = Object.keys(files).filter((name) => !name.startsWith('data/')).sort();
    expect(names).toEqual([
      '.gitignore', 'README.md', 'bottleneck.dvc', 'bottleneck/backbone.json', 'bottleneck/features.npy', 'bottleneck/images.txt',
      'data.dvc', 'dvc.yaml', 'features.py', 'metrics.csv', 'metrics.json', 'model.dvc', 'model/metadata.json', 'model/model.json', 'model/weights.bin', 'params.yaml', 'train.py',
    ]);
    const dvcYaml = new TextDecoder().decode(files['dvc.yaml']);
    expect(dvcYaml).toMatch(/^stages:\n {2}features:\n {4}cmd: python features\.py\n/);
    expect(dvcYaml).toContain('  train:\n    cmd: python train.py\n    deps:\n    - features\n');
    expect(new TextDecoder().decode(files['params.yaml'])).toMatch(/architecture: pretrained-features[\s\S]*feature_layer: block/);
  });

  it('features.py writes the rows the page trained on, byte for byte, and train.py trains the head on them', async () => {
    const { zip, data, rowsOf } = await exported(IMAGES);
    const { folder } = extract(zip);
    expect(run(folder, 'features.py')).toContain('2 classes, 12 training and 6 validation rows of 4 features');
    expect(new Uint8Array(readFileSync(join(folder, 'features', 'train.npy')))).toEqual(await rowsOf(data.splits.train));
    expect(new Uint8Array(readFileSync(join(folder, 'features', 'validation.npy')))).toEqual(await rowsOf(data.splits.validation));
    run(folder, 'train.py');
    const csv = readFileSync(join(folder, 'metrics.csv'), 'utf8').trim().split(/\r?\n/);
    expect(csv[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    expect(csv).toHaveLength(5);
  });

  it('without a validation folder, features.py holds out the same images as the page', async () => {
    const { zip, data, rowsOf } = await exported([...pictures('train', 'a', 9), ...pictures('train', 'b', 9)]);
    expect(data.splits.heldOut).toBe(true);
    const { folder } = extract(zip);
    run(folder, 'features.py');
    expect(new Uint8Array(readFileSync(join(folder, 'features', 'validation.npy')))).toEqual(await rowsOf(data.splits.validation));
    expect(new Uint8Array(readFileSync(join(folder, 'features', 'train.npy')))).toEqual(await rowsOf(data.splits.train));
  });
});
