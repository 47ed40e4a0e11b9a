import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportModelFiles, type ModelFiles, type ModelMetadata, type TfjsModelJson } from '../../src/core/exchange';
import type { ModelRecord } from '../../src/core/objects/types';
import { loadSnapshot } from '../../src/core/train/snapshot';
import { commitVersion } from '../../src/core/versions/commit-version';
import { VersionError } from '../../src/core/versions/errors';
import { HISTORY, TRAIN_PARAMS, commitModelVersion, freshStore, storeWorkspace, tutorialImages } from './exchange-fixtures';

const folders: string[] = [];

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  folders.forEach((folder) => rmSync(folder, { recursive: true, force: true }));
});

/** What a user does with the download: the three files in a folder on disk. */
function writeToFolder(files: ModelFiles): string {
  const folder = mkdtempSync(join(tmpdir(), 'pawprint-model-'));
  folders.push(folder);
  for (const [name, content] of Object.entries(files)) writeFileSync(join(folder, name), content);
  return folder;
}

/**
 * A Node IOHandler for a model folder, as a file:// loader would be: model.json
 * read and handed to tfjs' own parser, which asks for the weights by the paths
 * in its manifest.
 */
function folderHandler(folder: string): tf.io.IOHandler {
  return {
    load: () =>
      tf.io.getModelArtifactsForJSON(JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) as tf.io.ModelJSON, async (manifest) => {
        const weightSpecs = manifest.flatMap((group) => group.weights);
        const buffers = manifest.flatMap((group) => group.paths.map((path) => readFileSync(join(folder, path))));
        return [weightSpecs, new Uint8Array(Buffer.concat(buffers)).buffer];
      }),
  };
}

function predictions(model: tf.LayersModel, input: tf.Tensor): number[] {
  return Array.from((model.predict(input) as tf.Tensor).dataSync());
}

describe('exportModelFiles', () => {
  it('writes model.json + weights.bin that stock tf.loadLayersModel loads, predicting as the stored model', async () => {
    const store = await freshStore();
    const workspace = await storeWorkspace(store, tutorialImages());
    const { versionId } = await commitModelVersion(store, workspace.id, ['cats', 'dogs']);
    const files = await exportModelFiles(store, versionId);

    const modelJson = JSON.parse(files['model.json']) as TfjsModelJson;
    expect(modelJson.format).toBe('layers-model');
    expect(modelJson.convertedBy).toBeNull();
    expect(modelJson.generatedBy).toBe('Pawprint 0.1.0');
    expect(modelJson.weightsManifest).toHaveLength(1);
    expect(modelJson.weightsManifest[0]!.paths).toEqual(['weights.bin']);

    const version = await store.getObject(versionId);
    if (version.kind !== 'version' || version.model === null) throw new Error('expected a version with a model');
    const record = (await store.getObject(version.model)) as ModelRecord;
    const stored = await loadSnapshot(record, new Uint8Array(await (await store.getBlob(record.weights)).arrayBuffer()));

    const fromFolder = await tf.loadLayersModel(folderHandler(writeToFolder(files)));
    const fromMemory = await tf.loadLayersModel(
      tf.io.fromMemory({
        modelTopology: modelJson.modelTopology as object,
        weightSpecs: modelJson.weightsManifest[0]!.weights as tf.io.WeightsManifestEntry[],
        weightData: files['weights.bin'].slice().buffer,
      }),
    );
    expect(fromFolder.layers.map((layer) => layer.name)).toEqual(['conv1', 'pool1', 'conv2', 'pool2', 'conv3', 'pool3', 'flatten', 'dense', 'dropout', 'output']);

    const inputs = [tf.randomUniform([3, 22, 22, 3], 0, 1, 'float32', 1), tf.ones([1, 22, 22, 3]), tf.zeros([1, 22, 22, 3])];
    for (const input of inputs) {
      const expected = predictions(stored, input);
      expect(predictions(fromFolder, input)).toEqual(expected);
      expect(predictions(fromMemory, input)).toEqual(expected);
    }
    // Not a degenerate model: different images get different outputs.
    expect(predictions(stored, inputs[1]!)).not.toEqual(predictions(stored, inputs[2]!));
  });

  it('writes metadata.json with labels, size, preprocessing, version, data set hash, metrics, params and app version', async () => {
    const store = await freshStore();
    const workspace = await storeWorkspace(store, tutorialImages());
    const { versionId } = await commitModelVersion(store, workspace.id, ['cats', 'dogs']);
    const files = await exportModelFiles(store, versionId);

    const metadata = JSON.parse(files['metadata.json']) as ModelMetadata;
    const { epoch: _epoch, ...finalMetrics } = HISTORY[0]!;
    expect(metadata).toMatchObject({
      labels: ['cats', 'dogs'],
      imageSize: 22,
      inputShape: [22, 22, 3],
      normalization: 'RGB, [0,1], resized to 22×22 by squashing, transparent pixels over white',
      architecture: 'reference-convnet',
      version: { id: versionId, message: 'First model, trained with 12 images' },
      dataset: { id: workspace.id, dvc: workspace.dataset.dvc },
      metrics: finalMetrics,
      params: JSON.parse(JSON.stringify(TRAIN_PARAMS)) as object,
      appVersion: '0.1.0',
    });
    expect(metadata.dataset.dvc.md5).toMatch(/^[0-9a-f]{32}\.dir$/);
    expect(files['metadata.json'].endsWith('}\n')).toBe(true);
  });

  it('refuses a version that holds data only, saying why', async () => {
    const store = await freshStore();
    await storeWorkspace(store, tutorialImages());
    const { id } = await commitVersion(store, { message: 'Data only' });
    const refusal = exportModelFiles(store, id);
    await expect(refusal).rejects.toBeInstanceOf(VersionError);
    await expect(refusal).rejects.toMatchObject({ code: 'no-model', message: expect.stringMatching(/“Data only” holds data only, so there is no model to download/) });
  });
});
