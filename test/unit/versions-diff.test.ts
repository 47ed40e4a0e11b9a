import { describe, expect, test } from 'vitest';
import { removeClass } from '../../src/core/dataset/edit';
import { editWorkspace } from '../../src/core/dataset/workspace';
import type { Version } from '../../src/core/objects';
import { diffEntries } from '../../src/core/dataset/changes';
import type { DatasetEntry, Split } from '../../src/core/objects/types';
import { commitVersion, confusionOf, diffMetrics, diffParams, diffVersions, flattenParams, listFileChanges, pageOfFileChanges } from '../../src/core/versions';
import { at, fakeTrain, freshStore, ingest, ingestDataZip, ingestNewLabels, PARAMS, storeImages } from './versions-fixtures';

describe('diffVersions: v1.0 against v2.0', () => {
  test('files per class, params, metrics with the change, curves and confusion matrices', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    await fakeTrain(store, { valAccuracy: 0.7 });
    const v1 = await commitVersion(store, { message: 'v1', tag: 'v1.0', now: at(1) });
    await ingestNewLabels(store, 0.01);
    await editWorkspace(store, (entries) => removeClass(entries, 'dogs').concat(entries.filter((entry) => entry.label === 'dogs' && entry.split === 'train')));
    await fakeTrain(store, { valAccuracy: 0.8, params: { ...PARAMS, epochs: 10, augment: { flip: true, shift: false } } });
    const v2 = await commitVersion(store, { message: 'v2', tag: 'v2.0', now: at(2) });

    const diff = await diffVersions(store, v1.id, v2.id);
    expect(diff.files).toEqual({
      added: 10,
      removed: 4,
      modified: 0,
      relabelled: 0,
      byClass: [
        { split: 'train', label: 'cats', added: 5, removed: 0, modified: 0, relabelled: 0 },
        { split: 'train', label: 'dogs', added: 5, removed: 0, modified: 0, relabelled: 0 },
        { split: 'validation', label: 'dogs', added: 0, removed: 4, modified: 0, relabelled: 0 },
      ],
    });
    expect(diff.params).toEqual([
      { key: 'augment.flip', from: false, to: true },
      { key: 'epochs', from: 2, to: 10 },
    ]);
    expect(diff.metrics.map(({ key }) => key)).toEqual(['accuracy', 'loss', 'val_accuracy', 'val_loss']);
    const valAccuracy = diff.metrics.find((metric) => metric.key === 'val_accuracy')!;
    expect(valAccuracy).toMatchObject({ from: 0.7, to: 0.8 });
    expect(valAccuracy.change).toBeCloseTo(0.1, 12);
    expect(diff.metrics.find((metric) => metric.key === 'loss')).toEqual({ key: 'loss', from: 0.6, to: 0.6, change: 0 });
    expect(diff.curves.from).toEqual(v1.version.history);
    expect(diff.curves.to).toEqual(v2.version.history);
    expect(diff.confusion.from).toEqual({ names: ['cats', 'dogs'], matrix: [[300, 100], [80, 320]] });

    const back = await diffVersions(store, v2.id, v1.id);
    expect(back.files).toMatchObject({ added: 4, removed: 10 });
    expect(back.params[0]).toEqual({ key: 'augment.flip', from: true, to: false });
  });

  test('a data-only version: every metric of the other side, no change column, no confusion', async () => {
    const store = await freshStore();
    await ingestDataZip(store, 0.01);
    const data = await commitVersion(store, { message: 'data', now: at(1) });
    const [moved] = await storeImages(store, 'validation', 'cats', 1, 50);
    await ingest(store, [{ ...moved!, path: 'train/cats/cats.0.jpg', split: 'train', label: 'cats' }]);
    await fakeTrain(store);
    const trained = await commitVersion(store, { message: 'trained', now: at(2) });
    const diff = await diffVersions(store, data.id, trained.id);
    expect(diff.files).toMatchObject({ added: 0, removed: 0, modified: 1, byClass: [{ split: 'train', label: 'cats', modified: 1 }] });
    expect(diff.metrics).toContainEqual({ key: 'val_accuracy', from: null, to: 0.75, change: null });
    expect(diff.params.map(({ key }) => key)).toContain('augment.shift');
    expect(diff.params.find(({ key }) => key === 'seed')).toEqual({ key: 'seed', from: undefined, to: 42 });
    expect(diff.confusion).toEqual({ from: null, to: { names: ['cats', 'dogs'], matrix: [[300, 100], [80, 320]] } });
    expect(diff.curves.from).toEqual([]);
  });

  test('refuses ids that are not versions', async () => {
    const store = await freshStore();
    const datasetId = await ingestDataZip(store, 0.01);
    const v = await commitVersion(store, { message: 'v' });
    await expect(diffVersions(store, v.id, datasetId)).rejects.toMatchObject({ code: 'corrupt' });
    await expect(diffVersions(store, v.id, 'f'.repeat(64))).rejects.toMatchObject({ code: 'missing' });
  });
});

describe('diff parts', () => {
  test('params: nested keys dotted, lists compared whole, only changes', () => {
    expect([...flattenParams({ a: { b: { c: 1 } }, l: [1, 2], n: null })]).toEqual([['a.b.c', 1], ['l', [1, 2]], ['n', null]]);
    expect(diffParams({ l: [1, 2], x: 1, o: { p: 'q' } }, { l: [1, 2], x: 1, o: { p: 'r' } })).toEqual([{ key: 'o.p', from: 'q', to: 'r' }]);
    expect(diffParams({ l: [1, 2] }, { l: [2, 1] })).toEqual([{ key: 'l', from: [1, 2], to: [2, 1] }]);
    expect(diffParams({ gone: 1 }, {})).toEqual([{ key: 'gone', from: 1, to: undefined }]);
  });

  test('metrics: all of either side, change = to − from', () => {
    expect(diffMetrics({ loss: 0.5, a: 1 }, { loss: 0.25, b: 2 })).toEqual([
      { key: 'a', from: 1, to: null, change: null },
      { key: 'b', from: null, to: 2, change: null },
      { key: 'loss', from: 0.5, to: 0.25, change: -0.25 },
    ]);
  });

  test('confusion: null unless the run recorded a square matrix with its class names', () => {
    const version = (run: Record<string, unknown> | null) => ({ run }) as Version;
    expect(confusionOf(version(null))).toBeNull();
    expect(confusionOf(version({ classNames: ['a', 'b'], evaluation: { confusion: [[1, 0]] } }))).toBeNull();
    expect(confusionOf(version({ classNames: ['a'], evaluation: { confusion: [['x']] } }))).toBeNull();
    expect(confusionOf(version({ classNames: ['a'], evaluation: { confusion: [[3]] } }))).toEqual({ names: ['a'], matrix: [[3]] });
  });
});

describe('changed files, for the visual diff', () => {
  const entry = (path: string, sha256: string): DatasetEntry => {
    const [split, label] = path.split('/') as [Split, string];
    return { path, sha256, md5: `m-${sha256}`, size: 1, split, label };
  };
  const before = [entry('train/cats/1.jpg', 'a'), entry('train/cats/2.jpg', 'b'), entry('validation/dogs/3.jpg', 'c'), entry('train/dogs/4.jpg', 'd')];
  const after = [entry('train/dogs/1.jpg', 'a'), entry('train/cats/2.jpg', 'B'), entry('train/cats/5.jpg', 'e'), entry('train/dogs/4.jpg', 'd')];

  test('lists every kind, grouped by split then class, then by kind and path', () => {
    const list = listFileChanges(diffEntries(before, after));
    expect(list.map((c) => [c.kind, c.split, c.label, c.path, c.before?.path ?? null])).toEqual([
      ['added', 'train', 'cats', 'train/cats/5.jpg', null],
      ['modified', 'train', 'cats', 'train/cats/2.jpg', 'train/cats/2.jpg'],
      ['relabelled', 'train', 'dogs', 'train/dogs/1.jpg', 'train/cats/1.jpg'],
      ['removed', 'validation', 'dogs', 'validation/dogs/3.jpg', null],
    ]);
  });

  test('pages and filters by kind, counting every kind', () => {
    const list = listFileChanges(diffEntries(before, after));
    const page = pageOfFileChanges(list, ['added', 'removed', 'relabelled', 'modified'], 1, 2);
    expect(page).toMatchObject({ counts: { added: 1, removed: 1, relabelled: 1, modified: 1 }, total: 4, offset: 1 });
    expect(page.items.map((c) => c.kind)).toEqual(['modified', 'relabelled']);
    expect(pageOfFileChanges(list, ['removed'], 0, 100).items.map((c) => c.path)).toEqual(['validation/dogs/3.jpg']);
    // An offset past the end (the list shrank under a filter) shows the last page.
    expect(pageOfFileChanges(list, ['added', 'removed'], 50, 100).offset).toBe(0);
    expect(pageOfFileChanges(list, ['added', 'removed', 'modified'], 9, 2).items.map((c) => c.kind)).toEqual(['removed']);
    expect(pageOfFileChanges(list, [], 0, 100)).toMatchObject({ total: 0, items: [] });
  });
});
