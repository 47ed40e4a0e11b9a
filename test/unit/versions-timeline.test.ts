import { afterEach, describe, expect, test, vi } from 'vitest';
import { readWorkspace } from '../../src/core/dataset/workspace';
import type { Store } from '../../src/core/store';
import { commitVersion, listTimeline, stashWork, updateRefs } from '../../src/core/versions';
import { workspaceVersion } from '../../src/core/versions/workspace-version';
import { objectId as objectIdOf } from '../../src/core/objects';
import { at, fakeTrain, freshStore, ingest, ingestDataZip, ingestNewLabels, storeImages } from './versions-fixtures';

afterEach(() => {
  vi.restoreAllMocks();
});

/**
 * A data-only version of the workspace on top of HEAD, as a pull brings versions made
 * elsewhere: several versions may hold the same data set (commitVersion refuses that here).
 */
async function pulledVersion(store: Store, message: string, createdAt: Date): Promise<void> {
  const head = (await store.getRef('HEAD')) ?? null;
  const version = workspaceVersion({ parent: head, dataset: (await readWorkspace(store)).id!, run: null, message, createdAt });
  const id = await objectIdOf(version);
  await updateRefs(store, { versions: [version], set: new Map([[`versions/${id}`, id], ['HEAD', id]]), expect: new Map([['HEAD', head]]) });
}

describe('listTimeline', () => {
  test('newest first, with tags, HEAD, stash flag, counts per split and val_accuracy', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    await ingest(store, await storeImages(store, null, 'cats', 3));
    await fakeTrain(store, { valAccuracy: 0.7 });
    const v1 = await commitVersion(store, { message: 'First model, trained with 1000 images', tag: 'v1.0', now: at(1) });
    await ingestNewLabels(store, 0.01);
    const v2 = await commitVersion(store, { message: 'data only', tag: 'v2.0-rc1', now: at(2) });
    await ingest(store, await storeImages(store, 'test', 'dogs', 2));
    const stash = await stashWork(store, 'test images', { now: at(3) });

    const timeline = await listTimeline(store);
    expect(timeline.map(({ id, tags, isHead, isStash, valAccuracy }) => ({ id, tags, isHead, isStash, valAccuracy }))).toEqual([
      { id: stash.id, tags: [], isHead: false, isStash: true, valAccuracy: null },
      { id: v2.id, tags: ['v2.0-rc1'], isHead: true, isStash: false, valAccuracy: null },
      { id: v1.id, tags: ['v1.0'], isHead: false, isStash: false, valAccuracy: 0.7 },
    ]);
    expect(timeline[2]!.counts).toEqual({ train: 10, validation: 8, test: 0, unsplit: 3, total: 21 });
    expect(timeline[1]!.counts).toEqual({ train: 20, validation: 8, test: 0, unsplit: 3, total: 31 });
    expect(timeline[0]!.counts).toEqual({ train: 20, validation: 8, test: 2, unsplit: 3, total: 33 });
    expect(timeline[2]!.version.message).toBe('First model, trained with 1000 images');
  });

  test('same date: ordered by id, so the order is stable', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    await fakeTrain(store);
    const a = await commitVersion(store, { message: 'a', includeModel: false, now: at(1) });
    const b = await commitVersion(store, { message: 'b', now: at(1) });
    expect((await listTimeline(store)).map((item) => item.id)).toEqual([a.id, b.id].sort());
  });

  test('200 versions: each data set read once, then from the cache; fast', async () => {
    const store = await freshStore();
    const extra = await storeImages(store, 'train', 'dogs', 40);
    await ingest(store, await storeImages(store, 'train', 'cats', 100));
    for (let i = 0; i < 200; i++) {
      if (i % 5 === 0) await ingest(store, [extra[i / 5]!]); // 40 data sets, 5 versions each
      await pulledVersion(store, `version ${i}`, at(i));
    }
    const datasetIds = new Set((await store.listObjects('dataset')).map((record) => record.id));
    const get = vi.spyOn(IDBObjectStore.prototype, 'get');
    const datasetReads = () => get.mock.calls.filter(([key]) => typeof key === 'string' && datasetIds.has(key)).length;

    let start = performance.now();
    const cold = await listTimeline(store);
    const coldMs = performance.now() - start;
    expect(datasetReads()).toBe(40);
    start = performance.now();
    const warm = await listTimeline(store);
    const warmMs = performance.now() - start;
    expect(datasetReads()).toBe(40); // no more: the counts come from the derived cache
    console.log(`timeline of 200 versions (fake-indexeddb, Node): ${coldMs.toFixed(0)} ms cold, ${warmMs.toFixed(1)} ms cached`);

    expect(warm).toEqual(cold);
    expect(cold).toHaveLength(200);
    expect(cold[0]).toMatchObject({ isHead: true, version: { message: 'version 199' }, counts: { train: 140, total: 140 } });
    expect(cold[199]).toMatchObject({ version: { message: 'version 0' }, counts: { train: 101, total: 101 } });
    expect(warmMs).toBeLessThan(1000);
    expect(coldMs).toBeLessThan(5000);
  });

  test('a damaged cached count is recomputed', async () => {
    const store = await freshStore();
    const datasetId = await ingestDataZip(store, 0.01);
    await commitVersion(store, { message: 'v1', now: at(1) });
    await listTimeline(store);
    await store.updateDerived({ put: [[`datasets/${datasetId}/split-counts`, { train: 'many' }]] });
    expect((await listTimeline(store))[0]!.counts.total).toBe(18);
  });
});
