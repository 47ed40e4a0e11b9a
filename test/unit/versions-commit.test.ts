import { afterEach, describe, expect, test, vi } from 'vitest';
import { mergeEntries } from '../../src/core/dataset/edit';
import { editWorkspace } from '../../src/core/dataset/workspace';
import { RUN_REF } from '../../src/core/runs/run-ref';
import { QuotaExceededError } from '../../src/core/store';
import { commitVersion, VersionError, workspaceStatus } from '../../src/core/versions';
import { at, fakeTrain, freshStore, ingest, ingestDataZip, ingestNewLabels, PARAMS, refSnapshot, storeImages } from './versions-fixtures';
import { rejection } from './rejection';

afterEach(() => {
  vi.restoreAllMocks();
});

const refusal = (promise: Promise<unknown>) => rejection(promise, VersionError);

describe('workspace status and commit through the tutorial', () => {
  test('v1: data, train, commit tagged v1.0; v2: new labels, train, commit v2.0', async () => {
    const store = await freshStore();
    expect(await workspaceStatus(store)).toMatchObject({ head: null, model: 'none', dataset: { changed: false }, text: 'No data yet: add images to start' });

    const v1Data = await ingestDataZip(store);
    let status = await workspaceStatus(store);
    expect(status.dataset).toMatchObject({ changed: true, added: 1800, removed: 0, modified: 0 });
    expect(status.dataset.byClass).toEqual([
      { split: 'train', label: 'cats', added: 500, removed: 0, modified: 0, relabelled: 0 },
      { split: 'train', label: 'dogs', added: 500, removed: 0, modified: 0, relabelled: 0 },
      { split: 'validation', label: 'cats', added: 400, removed: 0, modified: 0, relabelled: 0 },
      { split: 'validation', label: 'dogs', added: 400, removed: 0, modified: 0, relabelled: 0 },
    ]);
    expect(status.text).toBe('+1 800 files in train/cats, train/dogs, validation/cats and 1 more');

    const run1 = await fakeTrain(store, { valAccuracy: 0.7 });
    status = await workspaceStatus(store);
    expect(status.model).toBe('trained-not-committed');
    expect(status.text).toBe('+1 800 files in train/cats, train/dogs, validation/cats and 1 more, model trained, not committed');

    const v1 = await commitVersion(store, { message: '  First model, trained with 1000 images ', tag: 'v1.0', now: at(1) });
    expect(v1.version).toMatchObject({
      parent: null,
      dataset: v1Data,
      model: run1.modelId,
      message: 'First model, trained with 1000 images',
      params: PARAMS,
      metrics: { val_accuracy: 0.7 },
      createdAt: at(1).toISOString(),
    });
    expect(v1.version.history).toHaveLength(2);
    expect(v1.version.run).toMatchObject({ appVersion: '0.1.0', classNames: ['cats', 'dogs'] });
    expect(await refSnapshot(store)).toEqual({
      HEAD: v1.id,
      [`versions/${v1.id}`]: v1.id,
      'tags/v1.0': v1.id,
      workspace: v1Data,
      [RUN_REF]: v1.id, // the committed version now stands for the run
    });
    status = await workspaceStatus(store);
    expect(status).toMatchObject({ head: v1.id, headTags: ['v1.0'], model: 'committed', dataset: { changed: false, text: null } });
    expect(status.text).toBe('Up to date with v1.0');

    const v2Data = await ingestNewLabels(store);
    status = await workspaceStatus(store);
    expect(status.dataset).toMatchObject({ changed: true, added: 1000, removed: 0, modified: 0 });
    expect(status.model).toBe('stale');
    expect(status.text).toBe('+1 000 files in train/cats, train/dogs, model trained on other data');

    const run2 = await fakeTrain(store, { valAccuracy: 0.8 });
    expect((await workspaceStatus(store)).text).toBe('+1 000 files in train/cats, train/dogs, model trained, not committed');
    const v2 = await commitVersion(store, { message: 'Second model, trained with 2000 images', tag: 'v2.0', now: at(2) });
    expect(v2.version).toMatchObject({ parent: v1.id, dataset: v2Data, model: run2.modelId });
    expect(await refSnapshot(store)).toMatchObject({ HEAD: v2.id, 'tags/v1.0': v1.id, 'tags/v2.0': v2.id, [RUN_REF]: v2.id });
    expect((await workspaceStatus(store)).text).toBe('Up to date with v2.0');
    expect((await store.verify()).ok).toBe(true);
  });

  test('removed and changed files, and files outside split folders, are described', async () => {
    const store = await freshStore();
    const cats = await storeImages(store, 'train', 'cats', 3);
    const loose = await storeImages(store, null, 'birds', 2);
    await ingest(store, cats, loose);
    await commitVersion(store, { message: 'data' });
    const [replacement] = await storeImages(store, 'validation', 'cats', 1);
    await editWorkspace(store, (entries) =>
      mergeEntries(
        entries.filter((entry) => entry.path !== cats[0]!.path),
        [{ ...replacement!, path: cats[1]!.path, split: 'train' }],
      ),
    );
    const status = await workspaceStatus(store);
    expect(status.dataset).toMatchObject({ added: 0, removed: 1, modified: 1 });
    expect(status.text).toBe('−1 file in train/cats, 1 file changed in train/cats');
    await ingest(store, await storeImages(store, null, 'birds', 1, 2));
    expect((await workspaceStatus(store)).text).toBe('+1 file in birds, −1 file in train/cats, 1 file changed in train/cats');
  });

  test('a data-only commit, by choice or because the model is stale', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    await fakeTrain(store);
    const dataOnly = await commitVersion(store, { message: 'data alone', includeModel: false });
    expect(dataOnly.version).toMatchObject({ model: null, params: {}, metrics: {}, history: [], run: null });
    expect((await workspaceStatus(store)).model).toBe('trained-not-committed');

    await ingestNewLabels(store, 0.01);
    const stale = await refusal(commitVersion(store, { message: 'with the old model', includeModel: true }));
    expect(stale.code).toBe('stale-model');
    const withoutModel = await commitVersion(store, { message: 'more data' }); // the default leaves a stale model out
    expect(withoutModel.version.model).toBeNull();
    expect(withoutModel.version.parent).toBe(dataOnly.id);
  });

  test('nothing to commit: the same work as HEAD is refused, whatever the message, and nothing is written', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    await fakeTrain(store);
    await commitVersion(store, { message: 'v1', tag: 'v1.0', now: at(1) });
    const before = { refs: await refSnapshot(store), usage: await store.usage() };
    const error = await refusal(commitVersion(store, { message: 'v1', now: at(2) }));
    expect(error.code).toBe('nothing-to-commit');
    expect(error.message).toBe(
      'Nothing to commit: the data set and model are the same as in the checked-out version “v1” (v1.0), committed here or in another tab. To name it differently, tag that version.',
    );
    // A new message alone is no new version (git refuses it too without --allow-empty).
    expect((await refusal(commitVersion(store, { message: 'v1, described better', now: at(3) }))).code).toBe('nothing-to-commit');
    expect({ refs: await refSnapshot(store), usage: await store.usage() }).toEqual(before);
  });

  test('two tabs committing the same work one after the other make one version; the second is told why', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    await commitVersion(store, { message: 'base' });
    await ingestNewLabels(store, 0.01);
    const results = await Promise.allSettled([
      store.underLock((locked) => commitVersion(locked, { message: 'from tab A', now: at(5) })),
      store.underLock((locked) => commitVersion(locked, { message: 'from tab B', now: at(6) })),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected']);
    expect((results[1] as PromiseRejectedResult).reason).toMatchObject({ code: 'nothing-to-commit', message: expect.stringMatching(/^Nothing to commit: the data set is the same as in the checked-out version “from tab A”/) });
    expect(await store.listRefs('versions/')).toHaveLength(2);
  });

  test('refusals change nothing: empty message, bad tag, duplicate tag, no data, no model', async () => {
    const store = await freshStore();
    expect((await refusal(commitVersion(store, { message: 'x' }))).code).toBe('no-data');
    await ingestDataZip(store, 0.01);
    expect((await refusal(commitVersion(store, { message: 'x', includeModel: true }))).code).toBe('no-model');
    await fakeTrain(store);
    await commitVersion(store, { message: 'First', tag: 'v1.0' });
    await ingestNewLabels(store, 0.01);
    await fakeTrain(store);
    const before = { refs: await refSnapshot(store), usage: await store.usage() };

    expect((await refusal(commitVersion(store, { message: '   ' }))).code).toBe('invalid-message');
    const badTag = await refusal(commitVersion(store, { message: 'Second', tag: 'v 2' }));
    expect(badTag).toMatchObject({ code: 'invalid-tag', message: 'A tag cannot contain spaces.' });
    const duplicate = await refusal(commitVersion(store, { message: 'Second', tag: 'v1.0' }));
    expect(duplicate.code).toBe('tag-exists');
    expect(duplicate.message).toMatch(/“v1\.0” is already on another version.*move it/i);

    expect(await refSnapshot(store)).toEqual(before.refs);
    expect(await store.usage()).toEqual(before.usage);
    expect((await workspaceStatus(store)).model).toBe('trained-not-committed');
  });

  test('a write failure in the middle of a commit (quota) changes nothing', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    await fakeTrain(store);
    const before = { refs: await refSnapshot(store), usage: await store.usage() };
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'refs') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    await expect(commitVersion(store, { message: 'First model', tag: 'v1.0' })).rejects.toThrow(QuotaExceededError);
    vi.restoreAllMocks();
    expect({ refs: await refSnapshot(store), usage: await store.usage() }).toEqual(before);
    await expect(commitVersion(store, { message: 'First model', tag: 'v1.0' })).resolves.toMatchObject({ version: { message: 'First model' } });
  });

  test('a commit racing another tab is refused and changes nothing', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    await commitVersion(store, { message: 'base' });
    await ingestNewLabels(store, 0.01);
    // Two tabs commit at once: both read the same HEAD, so the second to write finds it moved.
    const other = commitVersion(store, { message: 'other tab', now: at(5) });
    const racing = commitVersion(store, { message: 'this tab', now: at(6) });
    const results = await Promise.allSettled([other, racing]);
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(1);
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({ code: 'changed-elsewhere' });
    expect(await store.listRefs('versions/')).toHaveLength(2);
  });
});
