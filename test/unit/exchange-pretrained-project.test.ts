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
import type { Example } from '../../src/core/train/types';
import { REPO_ROOT } from '../harness/server.mjs';
import { pictures, pretrainedVersion, type Picture } from './features-fixtures';

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
async function exported(images: Picture[], inputRange?: [number, number], layer?: string) {
  const { store, versionId, data } = await pretrainedVersion(images, inputRange, layer);
  const rowsOf = async (examples: readonly Example[]) => {
    const batch = data.inputs.batch(examples);
    const values = (await batch.data()) as Float32Array;
    batch.dispose();
    return npyFloat32(values, [examples.length, data.dims]);
  };
  return { zip: await exportDvcProject(store, versionId), data, rowsOf };
}

const IMAGES = [...pictures('train', 'a', 6), ...pictures('train', 'b', 6), ...pictures('validation', 'a', 3), ...pictures('validation', 'b', 3)];

/** Runs check-keras-weights.py: every weight of model.weights.h5 equals weights.bin's; gives the h5's layer groups. */
function checkKerasWeights(folder: string, files: Record<string, Uint8Array>): string[] {
  const run = spawnSync(PYTHON, [join(REPO_ROOT, 'test', 'harness', 'check-keras-weights.py'), folder], { encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  const { tree, worst } = JSON.parse(run.stdout) as { tree: Record<string, unknown>; worst: Record<string, number> };
  const specs = (JSON.parse(new TextDecoder().decode(files['model/model.json'])) as { weightsManifest: { weights: { name: string }[] }[] }).weightsManifest[0]!.weights;
  // c1, c2 (the backbone up to "block") and the head's two Dense layers: kernel and bias each.
  expect(Object.keys(worst)).toEqual(specs.map((spec) => spec.name));
  expect(specs).toHaveLength(8);
  for (const [name, difference] of Object.entries(worst)) expect(difference, name).toBeLessThanOrEqual(1e-6);
  expect(tree['layers/dense_1/vars/0']).toEqual([256, 2]);
  return Object.keys(tree).filter((path) => /^layers\/[^/]+$/.test(path));
}

describe('the DVC project of a head on pretrained features', () => {
  it('has the validate, features, train and evaluate stages with their lock and outputs, bottleneck/ and its .dvc, and the two scripts', async () => {
    const { files } = extract((await exported(IMAGES)).zip);
    const names = Object.keys(files).filter((name) => !name.startsWith('data/')).sort();
    expect(names).toEqual([
      '.gitignore', 'README.md', 'bottleneck.dvc', 'bottleneck/backbone.json', 'bottleneck/features.npy', 'bottleneck/images.txt',
      'data.dvc', 'dvc.lock', 'dvc.yaml', 'evaluate.py', 'evaluation.json', 'features.py',
      'features/classes.json', 'features/train.npy', 'features/train_labels.npy', 'features/validation.npy', 'features/validation_labels.npy',
      'metrics.csv', 'metrics.json', 'model.dvc', 'model.pt', 'model.weights.h5', 'model.weights.h5.dvc', 'model/metadata.json', 'model/model.json', 'model/weights.bin', 'params.yaml', 'train.py', 'validate.py', 'validation.json',
    ]);
    const dvcYaml = new TextDecoder().decode(files['dvc.yaml']);
    expect(dvcYaml).toMatch(/^stages:\n {2}validate:\n[\s\S]*\n {2}features:\n {4}cmd: python features\.py\n/);
    expect(dvcYaml).toContain('  evaluate:\n    cmd: python evaluate.py\n    deps:\n    - features\n    - evaluate.py\n    - model.pt\n    - train.py\n    metrics:\n');
    expect(dvcYaml).toContain('  train:\n    cmd: python train.py\n    deps:\n    - features\n');
    expect(new TextDecoder().decode(files['params.yaml'])).toMatch(/architecture: pretrained-features[\s\S]*feature_layer: block/);
  });

  it('holds model.weights.h5 of the joined model (backbone, rescaling, pooling, head): h5py finds every layer’s weights equal to weights.bin’s', async () => {
    // A backbone expecting [-1, 1]: the joined model gains a Rescaling layer, which has no weights.
    const { folder, files } = extract((await exported(IMAGES, [-1, 1])).zip);
    expect(checkKerasWeights(folder, files)).toEqual(expect.arrayContaining(['layers/input_layer', 'layers/rescaling', 'layers/conv2d', 'layers/re_lu', 'layers/conv2d_1', 'layers/add', 'layers/global_average_pooling2d', 'layers/dense', 'layers/dropout', 'layers/dense_1']));
  });

  it('holds model.weights.h5 of a head on two feature layers: a pooling each and a Concatenate, weights as in weights.bin', async () => {
    const { folder, files } = extract((await exported(IMAGES, [0, 1], 'r1+block')).zip);
    const groups = checkKerasWeights(folder, files);
    expect(groups).toEqual(expect.arrayContaining(['layers/global_average_pooling2d', 'layers/global_average_pooling2d_1', 'layers/concatenate', 'layers/dense', 'layers/dense_1']));
    expect(groups).not.toContain('layers/rescaling');
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
