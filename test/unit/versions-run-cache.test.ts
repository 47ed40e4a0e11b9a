import { describe, expect, test } from 'vitest';
import { utf8Bytes } from '../../src/core/hash';
import { sha256Hex } from '../../src/core/hash/sha256';
import { canonicalJson } from '../../src/core/objects';
import { checkout, commitVersion, findCachedRun, runCacheKey } from '../../src/core/versions';
import { APP_VERSION, at, fakeTrain, freshStore, ingestDataZip, ingestNewLabels, PARAMS } from './versions-fixtures';

describe('runCacheKey', () => {
  test('sha256 of the canonical JSON of data set id, params and app version; key order does not matter', async () => {
    const inputs = { datasetId: 'd'.repeat(64), params: PARAMS, appVersion: '0.1.0' };
    const key = await runCacheKey(inputs);
    expect(key).toBe(await sha256Hex(utf8Bytes(canonicalJson(inputs))));
    const reordered = Object.fromEntries(Object.entries(PARAMS).reverse());
    expect(await runCacheKey({ appVersion: '0.1.0', params: reordered, datasetId: 'd'.repeat(64) })).toBe(key);
    expect(await runCacheKey({ ...inputs, params: { ...PARAMS, architecture: 'other' } })).not.toBe(key);
    expect(await runCacheKey({ ...inputs, params: { ...PARAMS, augment: { flip: true, shift: false } } })).not.toBe(key);
    expect(await runCacheKey({ ...inputs, appVersion: '0.2.0' })).not.toBe(key);
    expect(await runCacheKey({ ...inputs, datasetId: 'e'.repeat(64) })).not.toBe(key);
  });
});

describe('findCachedRun', () => {
  test('a hit names the version (first tag, else its message); every input must match', async () => {
    const store = await freshStore();
    const v1Data = await ingestDataZip(store, 0.01);
    expect(await findCachedRun(store, { datasetId: v1Data, params: PARAMS, appVersion: APP_VERSION })).toBeNull();

    const run = await fakeTrain(store);
    // Not committed yet: the last run is the cache.
    expect(await findCachedRun(store, { datasetId: v1Data, params: PARAMS, appVersion: APP_VERSION })).toEqual({
      versionId: run.runId,
      label: 'the last training run',
      modelId: run.modelId,
    });

    const v1 = await commitVersion(store, { message: 'First model', tag: 'v1.0', now: at(1) });
    const inputs = { datasetId: v1Data, params: structuredClone(PARAMS), appVersion: APP_VERSION };
    expect(await findCachedRun(store, inputs)).toEqual({ versionId: v1.id, label: 'v1.0', modelId: run.modelId });

    expect(await findCachedRun(store, { ...inputs, params: { ...PARAMS, learningRate: 0.01 } })).toBeNull();
    // The Model choice is a param: the same numbers with pretrained features are another run, and so is another backbone or layer.
    const pretrained = { ...PARAMS, architecture: 'pretrained-features', backbone: 'b'.repeat(64), featureLayer: 'flatten_1' };
    expect(await findCachedRun(store, { ...inputs, params: pretrained })).toBeNull();
    expect(await runCacheKey({ ...inputs, params: { ...pretrained, featureLayer: 'block_10_project_BN' } })).not.toBe(await runCacheKey({ ...inputs, params: pretrained }));
    expect(await runCacheKey({ ...inputs, params: { ...pretrained, backbone: 'c'.repeat(64) } })).not.toBe(await runCacheKey({ ...inputs, params: pretrained }));
    expect(await findCachedRun(store, { ...inputs, params: { ...PARAMS, augment: { flip: true, shift: false } } })).toBeNull();
    expect(await findCachedRun(store, { ...inputs, appVersion: '0.2.0' })).toBeNull();

    const v2Data = await ingestNewLabels(store, 0.01);
    expect(await findCachedRun(store, { ...inputs, datasetId: v2Data })).toBeNull();
    const run2 = await fakeTrain(store);
    const v2 = await commitVersion(store, { message: 'Second model', now: at(2) });
    expect(await findCachedRun(store, { ...inputs, datasetId: v2Data })).toEqual({ versionId: v2.id, label: 'Second model', modelId: run2.modelId });

    // Back on v1.0's data (repro of the tutorial's first step): still a hit on v1.0.
    await checkout(store, v1.id);
    expect(await findCachedRun(store, inputs)).toMatchObject({ versionId: v1.id, label: 'v1.0' });
  });

  test('a data-only version or a run from another app version is no hit', async () => {
    const store = await freshStore();
    const datasetId = await ingestDataZip(store, 0.01);
    await commitVersion(store, { message: 'data only', now: at(1) });
    await fakeTrain(store, { appVersion: '0.0.9' });
    expect(await findCachedRun(store, { datasetId, params: PARAMS, appVersion: APP_VERSION })).toBeNull();
    expect(await findCachedRun(store, { datasetId, params: PARAMS, appVersion: '0.0.9' })).not.toBeNull();
  });
});
