import { describe, expect, test } from 'vitest';
import { readWorkspace } from '../../src/core/dataset/workspace';
import { RUN_REF } from '../../src/core/runs/run-ref';
import { checkout, commitVersion, listTimeline, stashWork, UncommittedChangesError, workspaceStatus } from '../../src/core/versions';
import { at, fakeTrain, freshStore, ingest, ingestDataZip, ingestNewLabels, refSnapshot, storeImages } from './versions-fixtures';
import { rejection } from './rejection';

/** v1.0 (data + model) and v2.0 (more data + its own model), HEAD at v2.0. */
async function tutorial(scale = 0.01) {
  const store = await freshStore();
  const v1Data = await ingestDataZip(store, scale);
  const run1 = await fakeTrain(store, { valAccuracy: 0.7 });
  const v1 = await commitVersion(store, { message: 'First model, trained with 1000 images', tag: 'v1.0', now: at(1) });
  const v2Data = await ingestNewLabels(store, scale);
  const run2 = await fakeTrain(store, { valAccuracy: 0.8 });
  const v2 = await commitVersion(store, { message: 'Second model, trained with 2000 images', tag: 'v2.0', now: at(2) });
  return { store, v1, v2, v1Data, v2Data, run1, run2 };
}

async function uncommitted(promise: Promise<unknown>): Promise<UncommittedChangesError> {
  const error = await rejection(promise, UncommittedChangesError);
  expect(error.name).toBe('UncommittedChangesError'); // what the page sees through comlink
  return error;
}

describe('checkout', () => {
  test('whole: data set, model and HEAD; then data only: the data set alone', async () => {
    const { store, v1, v2, v1Data, v2Data } = await tutorial();
    const whole = await checkout(store, v1.id);
    expect(whole).toEqual({ head: v1.id, workspace: v1Data, run: v1.id, stash: null });
    expect(await refSnapshot(store)).toMatchObject({ HEAD: v1.id, workspace: v1Data, [RUN_REF]: v1.id });
    expect((await readWorkspace(store)).dataset!.entries.filter((entry) => entry.split === 'train')).toHaveLength(10);
    expect(await workspaceStatus(store)).toMatchObject({ text: 'Up to date with v1.0', model: 'committed' });

    // `git checkout v2.0 data.dvc; dvc checkout data.dvc`: v2's images, v1's model and HEAD.
    const dataOnly = await checkout(store, v2.id, { dataOnly: true });
    expect(dataOnly).toEqual({ head: v1.id, workspace: v2Data, run: v1.id, stash: null });
    const status = await workspaceStatus(store);
    expect(status).toMatchObject({ head: v1.id, model: 'stale', dataset: { changed: true, added: 10 } });
    expect(status.text).toBe('+10 files in train/cats, train/dogs, model trained on other data');

    // v2's data set is kept by v2: nothing is lost by going back, so no question is asked.
    await checkout(store, v2.id);
    expect(await refSnapshot(store)).toMatchObject({ HEAD: v2.id, workspace: v2Data, [RUN_REF]: v2.id });
    expect((await store.verify()).ok).toBe(true);
  });

  test('a version without a model clears the last run', async () => {
    const { store, v2 } = await tutorial();
    await ingest(store, await storeImages(store, 'test', 'cats', 3));
    const dataOnly = await commitVersion(store, { message: 'test images, not trained', now: at(3) });
    expect(dataOnly.version.model).toBeNull();
    await checkout(store, v2.id);
    await checkout(store, dataOnly.id);
    const refs = await refSnapshot(store);
    expect(refs[RUN_REF]).toBeUndefined();
    expect(refs['HEAD']).toBe(dataOnly.id);
    expect((await workspaceStatus(store)).model).toBe('none');
  });

  test('uncommitted data or model: refused with the status, nothing changes', async () => {
    const { store, v1 } = await tutorial();
    await ingest(store, await storeImages(store, 'train', 'cats', 4, 1000));
    const before = await refSnapshot(store);
    const error = await uncommitted(checkout(store, v1.id));
    expect(error.statusText).toBe('+4 files in train/cats, model trained on other data');
    expect(error.message).toMatch(/\+4 files in train\/cats.*stash/);
    await uncommitted(checkout(store, v1.id, { dataOnly: true }));
    expect(await refSnapshot(store)).toEqual(before);

    await fakeTrain(store);
    const trained = { refs: await refSnapshot(store), usage: await store.usage() };
    expect((await uncommitted(checkout(store, v1.id, { stashMessage: undefined }))).statusText).toBe(
      '+4 files in train/cats, model trained, not committed',
    );
    expect({ refs: await refSnapshot(store), usage: await store.usage() }).toEqual(trained);
  });

  test('a model no version holds is uncommitted work too, but only a whole checkout loses it', async () => {
    const { store, v1, v2 } = await tutorial();
    await fakeTrain(store, { params: { epochs: 5 } }); // retrained on v2's data, not committed
    await uncommitted(checkout(store, v1.id));
    await checkout(store, v1.id, { dataOnly: true }); // the run stays
    expect((await workspaceStatus(store)).model).toBe('stale');
    await uncommitted(checkout(store, v2.id));
  });

  test('force discards the uncommitted work', async () => {
    const { store, v1, v1Data } = await tutorial();
    await ingest(store, await storeImages(store, 'train', 'cats', 4, 1000));
    await fakeTrain(store);
    await checkout(store, v1.id, { force: true });
    expect(await refSnapshot(store)).toMatchObject({ HEAD: v1.id, workspace: v1Data, [RUN_REF]: v1.id });
    expect((await listTimeline(store)).map((item) => item.id)).toHaveLength(2);
  });

  test('a stash keeps the work on the timeline and checking it out restores it', async () => {
    const { store, v1, v2 } = await tutorial();
    const editedData = await ingest(store, await storeImages(store, 'train', 'cats', 4, 1000));
    const run3 = await fakeTrain(store);
    const result = await checkout(store, v1.id, { stashMessage: 'more cats', now: at(3) });
    const stash = result.stash!;
    expect(stash.version).toMatchObject({ parent: v2.id, dataset: editedData, model: run3.modelId, message: 'more cats' });
    expect(stash.staleRun).toBeNull();
    expect(await refSnapshot(store)).toMatchObject({ HEAD: v1.id, [`stash/${stash.id}`]: stash.id, [RUN_REF]: v1.id });

    const timeline = await listTimeline(store);
    expect(timeline.map((item) => [item.version.message, item.isStash, item.isHead])).toEqual([
      ['more cats', true, false],
      ['Second model, trained with 2000 images', false, false],
      ['First model, trained with 1000 images', false, true],
    ]);

    // Back to the stash: its data and model on top of its parent, as before the checkout.
    await checkout(store, stash.id);
    expect(await refSnapshot(store)).toMatchObject({ HEAD: v2.id, workspace: editedData, [RUN_REF]: stash.id });
    expect((await workspaceStatus(store)).text).toBe('+4 files in train/cats, model trained, not committed');
    expect((await store.gc()).blobsDeleted).toBe(0);
  });

  test('a model trained on other data is stashed as its own version', async () => {
    const { store, v1, v2Data } = await tutorial();
    await checkout(store, v1.id);
    const retrained = await fakeTrain(store, { params: { epochs: 3 } }); // on v1's data, not committed
    await ingest(store, await storeImages(store, 'validation', 'dogs', 2, 1000));
    expect((await workspaceStatus(store)).model).toBe('stale');

    const stash = await stashWork(store, 'wip', { now: at(4) });
    expect(stash.version).toMatchObject({ model: null, parent: v1.id, message: 'wip' });
    expect(stash.staleRun!.version).toMatchObject({ model: retrained.modelId, dataset: v1.version.dataset, parent: v1.id, message: 'wip (model trained on other data)' });
    // stashWork leaves the workspace alone; now nothing would be lost.
    await checkout(store, (await listTimeline(store)).find((item) => item.tags.includes('v2.0'))!.id);
    expect(await store.getRef('workspace')).toBe(v2Data);
    expect(await store.hasObject(retrained.modelId)).toBe(true);
    await store.gc();
    expect(await store.hasObject(retrained.modelId)).toBe(true);
  });

  test('refuses a version not on the timeline, and a stash message that is empty', async () => {
    const { store, v1 } = await tutorial();
    await expect(checkout(store, 'f'.repeat(64))).rejects.toMatchObject({ code: 'no-such-version' });
    await ingest(store, await storeImages(store, 'train', 'cats', 1, 1000));
    await expect(checkout(store, v1.id, { stashMessage: ' ' })).rejects.toMatchObject({ code: 'invalid-message' });
    await expect(stashWork(store, '')).rejects.toMatchObject({ code: 'invalid-message' });
  });

  test('moves refs only: a 2 800-file version checks out in well under a second', async () => {
    const store = await freshStore();
    const big = await ingest(
      store,
      await storeImages(store, 'train', 'cats', 1000),
      await storeImages(store, 'train', 'dogs', 1000),
      await storeImages(store, 'validation', 'cats', 400),
      await storeImages(store, 'validation', 'dogs', 400),
    );
    await fakeTrain(store);
    const v1 = await commitVersion(store, { message: '2 800 files', now: at(1) });
    await ingest(store, await storeImages(store, 'test', 'cats', 10));
    const small = await commitVersion(store, { message: 'more', now: at(2) });
    const usage = await store.usage();

    const timings: Record<string, number> = {};
    for (const [name, run] of [
      ['whole', () => checkout(store, v1.id)],
      ['data only', () => checkout(store, small.id, { dataOnly: true })],
      ['whole back', () => checkout(store, small.id)],
    ] as const) {
      const start = performance.now();
      await run();
      timings[name] = performance.now() - start;
    }
    console.log(`checkout of a 2 800-file version (fake-indexeddb, Node): ${Object.entries(timings).map(([name, ms]) => `${name} ${ms.toFixed(1)} ms`).join(', ')}`);
    expect(Math.max(...Object.values(timings))).toBeLessThan(1000);
    expect(await store.usage()).toEqual(usage); // nothing copied
    await checkout(store, v1.id);
    expect(await store.getRef('workspace')).toBe(big);
  });
});
