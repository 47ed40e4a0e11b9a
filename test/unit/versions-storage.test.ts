import { describe, expect, test } from 'vitest';
import type { DatasetEntry } from '../../src/core/objects';
import type { Store } from '../../src/core/store';
import { checkout, commitVersion, deleteVersion, listTimeline, stashWork, untag, versionStorage, VersionError } from '../../src/core/versions';
import { queueExperiments, removeExperiment, startNextExperiment } from '../../src/core/experiments';
import { finishRunning, request } from './experiments-fixtures';
import { at, fakeTrain, freshStore, ingest, refSnapshot, storeImages } from './versions-fixtures';
import { rejection } from './rejection';

const bytesOf = (entries: DatasetEntry[]) => entries.reduce((total, entry) => total + entry.size, 0);

/** v1.0: 1 000 files + its model; v2.0: the same plus 1 000 new files + its own model. HEAD at v2.0. */
async function twoVersions() {
  const store = await freshStore();
  const oldFiles = [...(await storeImages(store, 'train', 'cats', 500)), ...(await storeImages(store, 'train', 'dogs', 500))];
  await ingest(store, oldFiles);
  const run1 = await fakeTrain(store);
  const v1 = await commitVersion(store, { message: 'First model, trained with 1000 images', tag: 'v1.0', now: at(1) });
  const newFiles = [...(await storeImages(store, 'train', 'cats', 500, 500)), ...(await storeImages(store, 'train', 'dogs', 500, 500))];
  await ingest(store, newFiles);
  const run2 = await fakeTrain(store);
  const v2 = await commitVersion(store, { message: 'Second model, trained with 2000 images', tag: 'v2.0', now: at(2) });
  return { store, v1, v2, run1, run2, oldBytes: bytesOf(oldFiles), newBytes: bytesOf(newFiles) };
}

async function storageOf(store: Store) {
  const report = await versionStorage(store);
  return { ...report, byId: new Map(report.versions.map((entry) => [entry.id, entry])) };
}

const refusal = (promise: Promise<unknown>) => rejection(promise, VersionError);

describe('versionStorage', () => {
  test('unique and shared bytes follow what the workspace and the last run hold', async () => {
    const { store, v1, v2, run1, run2, oldBytes, newBytes } = await twoVersions();
    let storage = await storageOf(store);
    expect(storage.totalBlobBytes).toBe(oldBytes + newBytes + run1.weightsSize + run2.weightsSize);
    expect(storage.byId.get(v1.id)).toEqual({ id: v1.id, uniqueBytes: run1.weightsSize, sharedBytes: oldBytes, monitoringBytes: 0 });
    // The workspace is v2's data set, so its files are not v2's alone.
    expect(storage.byId.get(v2.id)).toEqual({ id: v2.id, uniqueBytes: run2.weightsSize, sharedBytes: oldBytes + newBytes, monitoringBytes: 0 });

    await checkout(store, v1.id);
    storage = await storageOf(store);
    expect(storage.byId.get(v2.id)).toEqual({ id: v2.id, uniqueBytes: newBytes + run2.weightsSize, sharedBytes: oldBytes, monitoringBytes: 0 });
    expect(storage.byId.get(v1.id)).toEqual({ id: v1.id, uniqueBytes: run1.weightsSize, sharedBytes: oldBytes, monitoringBytes: 0 });
  });

  test('an uncommitted run and a shared model count as holders too', async () => {
    const store = await freshStore();
    const files = await storeImages(store, 'train', 'cats', 3);
    await ingest(store, files);
    const run = await fakeTrain(store);
    const a = await commitVersion(store, { message: 'a', now: at(1) });
    await commitVersion(store, { message: 'data only', includeModel: false, now: at(2) });
    const b = await commitVersion(store, { message: 'b, same model', now: at(3) });
    await fakeTrain(store); // a newer run, not committed: holds the files, not a's weights
    const storage = await storageOf(store);
    expect(storage.byId.get(a.id)).toEqual({ id: a.id, uniqueBytes: 0, sharedBytes: bytesOf(files) + run.weightsSize, monitoringBytes: 0 });
    expect(storage.byId.get(b.id)).toEqual({ id: b.id, uniqueBytes: 0, sharedBytes: bytesOf(files) + run.weightsSize, monitoringBytes: 0 });
  });
});

describe('versionStorage and experiments', () => {
  test('an experiment holds its data set and its model: what only experiments hold is counted, and gc frees it when they go', async () => {
    const { store, v2, run1, run2, oldBytes, newBytes } = await twoVersions();
    const workspace = (await store.getRef('workspace'))!;
    const [record] = await queueExperiments(store, [request(workspace, { learningRate: 0.01 })]);
    expect((await storageOf(store)).experiments).toEqual({ count: 1, uniqueBytes: 0 });
    const saved = await finishRunning(store, (await startNextExperiment(store, 'tab'))!.record);
    const weights = (await store.getObject(saved!.modelId, 'model')).weightsSize;
    const storage = await storageOf(store);
    expect(storage.experiments).toEqual({ count: 1, uniqueBytes: weights });
    expect(storage.byId.get(v2.id)).toEqual({ id: v2.id, monitoringBytes: 0, uniqueBytes: run2.weightsSize, sharedBytes: oldBytes + newBytes });
    expect(storage.totalBlobBytes).toBe(oldBytes + newBytes + run1.weightsSize + run2.weightsSize + weights);
    expect((await removeExperiment(store, record!.id)).bytesFreed).toBe(weights);
    expect((await storageOf(store)).experiments).toEqual({ count: 0, uniqueBytes: 0 });
  });
});

describe('deleteVersion', () => {
  test('v2 off the timeline frees exactly its 1 000 new files and its model weights', async () => {
    const { store, v1, v2, run2, newBytes } = await twoVersions();
    await checkout(store, v1.id);
    expect((await refusal(deleteVersion(store, v2.id))).message).toMatch(/tagged “v2\.0”: remove the tag first/);
    await untag(store, 'v2.0');
    const predicted = (await storageOf(store)).byId.get(v2.id)!.uniqueBytes;
    // The uncommitted run records the commits replaced are garbage already, and hold no bytes of their own.
    expect(await store.gc()).toMatchObject({ objectsDeleted: 2, bytesFreed: 0 });

    const freed = await deleteVersion(store, v2.id);
    expect(freed.bytesFreed).toBe(newBytes + run2.weightsSize);
    expect(freed.bytesFreed).toBe(predicted);
    expect(freed.blobsDeleted).toBe(1001);
    expect(freed.objectsDeleted).toBe(3); // v2's version, data set and model
    expect((await listTimeline(store)).map((item) => item.id)).toEqual([v1.id]);
    const report = await store.verify();
    expect(report).toMatchObject({ ok: true, missingReferences: [], missingParents: [] });
    expect((await store.listObjects()).length).toBe(3);
  });

  test('v1 deleted while v2 exists frees its model only, none of the shared files; v2 keeps a weak parent', async () => {
    const { store, v1, v2, run1 } = await twoVersions();
    await untag(store, 'v1.0');
    await store.gc();
    const freed = await deleteVersion(store, v1.id);
    expect(freed).toEqual({ objectsDeleted: 3, blobsDeleted: 1, bytesFreed: run1.weightsSize });
    const report = await store.verify();
    expect(report.ok).toBe(true);
    expect(report.missingParents).toEqual([{ from: v2.id, to: v1.id }]);
    expect((await listTimeline(store))[0]).toMatchObject({ id: v2.id, isHead: true, counts: { total: 2000 } });
    // A new commit on top of v2 is fine; its parent v2 exists.
    await stashWork(store, 'nothing much');
  });

  test('HEAD only with force: HEAD moves to the parent, or goes when the parent is gone', async () => {
    const { store, v1, v2 } = await twoVersions();
    await untag(store, 'v2.0');
    const before = await refSnapshot(store);
    const error = await refusal(deleteVersion(store, v2.id));
    expect(error.code).toBe('checked-out');
    expect(await refSnapshot(store)).toEqual(before);

    await deleteVersion(store, v2.id, { force: true });
    const refs = await refSnapshot(store);
    expect(refs['HEAD']).toBe(v1.id);
    expect(refs['workspace']).toBe(before['workspace']); // the workspace keeps its data set, so nothing of it is freed
    expect(await store.hasObject(before['workspace']!)).toBe(true);

    await untag(store, 'v1.0');
    await deleteVersion(store, v1.id, { force: true });
    expect((await refSnapshot(store))['HEAD']).toBeUndefined();
    expect(await listTimeline(store)).toEqual([]);
    expect((await store.verify()).ok).toBe(true);
  });

  test('a stash can be deleted; unknown versions are refused', async () => {
    const { store } = await twoVersions();
    await ingest(store, await storeImages(store, 'test', 'cats', 2));
    const stash = await stashWork(store, 'wip', { now: at(3) });
    await deleteVersion(store, stash.id);
    expect(await store.getRef(`stash/${stash.id}`)).toBeUndefined();
    expect((await refusal(deleteVersion(store, stash.id))).code).toBe('no-such-version');
  });

  test('drops the cached values of data sets gc removed', async () => {
    const { store, v1, v2 } = await twoVersions();
    await listTimeline(store);
    await versionStorage(store);
    const v2Data = v2.version.dataset;
    expect(await store.getDerived(`datasets/${v2Data}/split-counts`)).toBeDefined();
    expect(await store.getDerived(`datasets/${v2Data}/blobs`)).toBeDefined();
    await checkout(store, v1.id);
    await untag(store, 'v2.0');
    await deleteVersion(store, v2.id);
    expect(await store.getDerived(`datasets/${v2Data}/split-counts`)).toBeUndefined();
    expect(await store.getDerived(`datasets/${v2Data}/blobs`)).toBeUndefined();
    expect(await store.getDerived(`datasets/${v1.version.dataset}/split-counts`)).toBeDefined();
  });
});
