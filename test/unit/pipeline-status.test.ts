// The pipeline's `dvc status` computed from a real store (fake-indexeddb): the miniature tutorial
// of versions-fixtures — data, a run, then new labels and other params — judged stage by stage.
import { describe, expect, test } from 'vitest';
import { pipelineStatus, readPipelineFacts, type PipelineView } from '../../src/core/pipeline';
import { pixelCacheKey } from '../../src/core/preprocess/pixels';
import type { TrainParams } from '../../src/core/train/params';
import { commitVersion } from '../../src/core/versions';
import { APP_VERSION, fakeTrain, freshStore, ingestDataZip, ingestNewLabels, PARAMS } from './versions-fixtures';
import type { Store } from '../../src/core/store';

const params = (change: Partial<TrainParams> = {}) => ({ ...(PARAMS as TrainParams), ...change });

async function statusOf(store: Store, change: Partial<TrainParams> = {}, checked: string | null = null): Promise<PipelineView> {
  return pipelineStatus(await readPipelineFacts(store, { params: params(change), checkedDatasetId: checked, appVersion: APP_VERSION }));
}

const table = (view: PipelineView) => view.stages.map((stage) => [stage.name, stage.status]);

/** What the pixel cache would hold for a data set at a size: its presence is what preprocess reads. */
async function putPixelCache(store: Store, datasetId: string, size: number) {
  await store.updateDerived({ put: [[pixelCacheKey(datasetId, size), { datasetId, size }]] });
}

describe('pipeline status', () => {
  test('an empty browser: nothing run, nothing to reproduce', async () => {
    const store = await freshStore();
    const view = await statusOf(store);
    expect(table(view)).toEqual([
      ['import', 'not run'],
      ['validate', 'not run'],
      ['preprocess', 'not run'],
      ['train', 'not run'],
      ['evaluate', 'not run'],
    ]);
    expect(view.stale).toEqual([]);
  });

  test('data imported and checked: validate is up to date, the rest not run, with the data set as DVC hashes it', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const view = await statusOf(store, {}, data);
    expect(table(view)).toEqual([
      ['import', 'up to date'],
      ['validate', 'up to date'],
      ['preprocess', 'not run'],
      ['train', 'not run'],
      ['evaluate', 'not run'],
    ]);
    expect(view.stale).toEqual(['preprocess', 'train', 'evaluate']);
    const dvc = (await store.getObject(data, 'dataset')).dvc;
    expect(view.stages[0]!.outs).toEqual([{ path: 'data', hash: dvc.md5, size: dvc.size, nfiles: dvc.nfiles }]);
    expect(dvc.nfiles).toBe(18);
  });

  test('after a run everything is up to date; new labels change data by +N files; other params say which, old → new', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const { modelId } = await fakeTrain(store);
    await putPixelCache(store, data, 64);
    let view = await statusOf(store, {}, data);
    expect(view.stages.map((stage) => stage.state)).toEqual(['up-to-date', 'up-to-date', 'up-to-date', 'up-to-date', 'up-to-date']);
    expect(view.stale).toEqual([]);
    const model = await store.getObject(modelId, 'model');
    const weights = await store.getBlobRecord(model.weights);
    expect(view.stages[3]!.outs[0]).toEqual({ path: 'model', hash: weights!.md5, size: model.weightsSize });

    // The pixel cache is derived data: dropped, preprocess says so and the rest stays up to date.
    await store.updateDerived({ delete: [pixelCacheKey(data, 64)] });
    view = await statusOf(store, {}, data);
    expect(view.stages[2]!.status).toBe('changed: deleted pixels/64');
    expect(view.stale).toEqual(['preprocess']);
    await putPixelCache(store, data, 64);

    // Other params: train and evaluate changed, named the way params.yaml names them.
    view = await statusOf(store, { epochs: 5, learningRate: 0.01 }, data);
    expect(table(view).slice(3)).toEqual([
      ['train', 'changed: params (epochs 2 → 5, learning_rate 0.001 → 0.01)'],
      ['evaluate', 'changed: model'],
    ]);
    expect(view.stale).toEqual(['train', 'evaluate']);
    // Another image size: the pixel cache of that size does not exist yet.
    view = await statusOf(store, { imageSize: 32 }, data);
    expect(table(view).slice(2, 4)).toEqual([
      ['preprocess', 'changed: params (image_size 64 → 32)'],
      ['train', 'changed: params (image_size 64 → 32)'],
    ]);

    // new-labels: +10 files (scaled 0.01 of 1 000); the check has not run on them yet.
    const v2 = await ingestNewLabels(store, 0.01);
    view = await statusOf(store, {}, data);
    expect(table(view)).toEqual([
      ['import', 'up to date'],
      ['validate', 'changed: data'],
      ['preprocess', 'changed: data (+10 files)'],
      ['train', 'changed: data (+10 files)'],
      ['evaluate', 'changed: model'],
    ]);
    expect(view.stale).toEqual(['validate', 'preprocess', 'train', 'evaluate']);
    view = await statusOf(store, { epochs: 3 }, v2);
    expect(view.stages[3]!.status).toBe('changed: data (+10 files); params (epochs 2 → 3)');
  });

  test('a stale train the run-cache can answer says so; another app version is a code change', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    await fakeTrain(store);
    await commitVersion(store, { message: 'v1' });
    await fakeTrain(store, { params: params({ epochs: 5 }) });
    let view = await statusOf(store, {}, data);
    expect(view.stages[3]).toMatchObject({ status: 'changed: params (epochs 5 → 2)', cached: 'v1' });
    await fakeTrain(store, { appVersion: '0.0.9' });
    view = await statusOf(store, {}, data);
    expect(view.stages[3]!.status).toBe(`changed: code (Pawprint 0.0.9 → ${APP_VERSION})`);
  });

  test('pretrained features: the image size fed to the backbone is a preprocess param, like the backbone and its layer', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const pretrained = { architecture: 'pretrained-features' as const, backbone: 'b'.repeat(64), featureLayer: 'out_relu', imageSize: 160 };
    await fakeTrain(store, { params: { ...PARAMS, ...pretrained } });
    expect((await statusOf(store, pretrained, data)).stale).toEqual([]);
    const view = await statusOf(store, { ...pretrained, imageSize: 224 }, data);
    expect(view.stages[2]!.status).toBe('changed: params (image_size 160 → 224)');
    expect(view.stages[2]!.deps[1]!.path).toBe('params.yaml: backbone, feature_layer, image_size');
    expect(view.stale).toEqual(['preprocess', 'train', 'evaluate']);
  });
});
