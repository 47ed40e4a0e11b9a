import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { previewIngest, storeIngest } from '../../src/core/dataset/ingest';
import type { DroppedFile } from '../../src/core/dataset/types';
import { summarizePreview } from '../../src/core/dataset/preview-summary';
import { readWorkspace } from '../../src/core/dataset/workspace';
import { addToWorkspace } from '../../src/core/dataset/add-to-workspace';
import { openStore, QuotaExceededError, type Store } from '../../src/core/store';
import { image, tutorialZip } from './dataset-fixtures';
import { ODD_LABELS } from './odd-labels';

const freshStore = () => openStore({ name: crypto.randomUUID() });

async function ingest(store: Store, files: DroppedFile[], decisions = {}) {
  const preview = await previewIngest(files);
  return { preview, ...(await addToWorkspace(store, preview, decisions)) };
}

describe('ingest into the workspace', () => {
  it('stores the tutorial layout with split, label and relpaths under the tracked folder', async () => {
    const store = await freshStore();
    const { preview, stored, workspace } = await ingest(store, [tutorialZip('v1', { 'train/cats': 3, 'train/dogs': 3, 'validation/cats': 2, 'validation/dogs': 2 })]);
    const summary = summarizePreview(preview.plan);
    expect(summary.root).toBe('data');
    expect(summary.ignored.total).toBe(1);
    expect(summary.classes.map((row) => [row.label, row.counts.train, row.counts.validation])).toEqual([
      ['cats', 3, 2],
      ['dogs', 3, 2],
    ]);
    expect(stored.storedCount).toBe(10);
    expect(workspace.dataset.root).toBe('data');
    expect(workspace.dataset.entries.map((e) => e.path)).toContain('train/cats/v10.png');
    expect(workspace.dataset.dvc.nfiles).toBe(10);
    expect((await readWorkspace(store)).id).toBe(workspace.id);
  });

  it('re-dropping the same zip stores nothing new and leaves the data set as it was', async () => {
    const store = await freshStore();
    const zip = tutorialZip('v1', { 'train/cats': 4, 'train/dogs': 4 });
    const first = await ingest(store, [zip]);
    const again = await ingest(store, [zip]);
    expect(again.stored).toMatchObject({ storedCount: 0, skippedCount: 8, bytesStored: 0 });
    expect(again.workspace.id).toBe(first.workspace.id);
    expect((await store.usage()).blobs).toBe(8);
  });

  it('adding new labels on top gives the union, storing only the new files', async () => {
    const store = await freshStore();
    await ingest(store, [tutorialZip('v1', { 'train/cats': 5, 'train/dogs': 5, 'validation/cats': 4, 'validation/dogs': 4 })]);
    const v2 = await ingest(store, [tutorialZip('new', { 'train/cats': 5, 'train/dogs': 5 })]);
    expect(v2.stored.storedCount).toBe(10);
    const entries = v2.workspace.dataset.entries;
    expect(entries.filter((e) => e.split === 'train')).toHaveLength(20);
    expect(entries.filter((e) => e.split === 'validation')).toHaveLength(8);
  });

  it('asks for a label for loose files and files them under it', async () => {
    const store = await freshStore();
    const loose = [{ path: 'a.png', blob: new Blob([image('a')]) }, { path: 'b.png', blob: new Blob([image('b')]) }];
    const preview = await previewIngest(loose);
    expect(summarizePreview(preview.plan).needsLabel).toBe(2);
    await expect(storeIngest(store, preview, {})).rejects.toThrow(/have no class folder: type their class in “Class for 2 loose files”/);
    await expect(storeIngest(store, preview, { looseLabel: 'train' })).rejects.toThrow(/split folder/);
    const stored = await storeIngest(store, preview, { looseLabel: 'birds' });
    expect(stored.entries.map((e) => [e.path, e.label, e.split])).toEqual([
      ['birds/a.png', 'birds', null],
      ['birds/b.png', 'birds', null],
    ]);
  });

  it('lets the user rename an inferred class before storing', async () => {
    const store = await freshStore();
    const { workspace } = await ingest(store, [tutorialZip('v1', { 'train/cats': 2, 'validation/cats': 1 })], { renames: new Map([['cats', 'felines']]) });
    expect(workspace.dataset.entries.map((e) => e.path)).toEqual(['train/felines/v10.png', 'train/felines/v11.png', 'validation/felines/v10.png']);
  });

  it('a merge in the review that would put two files at one path is asked about, storing nothing; with files of their own it merges', async () => {
    const store = await freshStore();
    const drop = (names: [string, string]) => {
      const files: Record<string, Uint8Array> = {};
      for (let i = 0; i < 3; i++) {
        files[`data/train/Dogs/${names[0]}${i}.png`] = image(`Dogs ${i}`);
        files[`data/train/dogs/${names[1]}${i}.png`] = image(`dogs ${i}`);
      }
      return [{ path: 'odd.zip', blob: new Blob([zipSync(files)]) }];
    };
    const merge = { renames: new Map([['Dogs', 'dogs']]) };
    const clash = await previewIngest(drop(['', '']));
    const error = await addToWorkspace(store, clash, merge).then(() => null, (e: unknown) => e as Error);
    expect(error).toMatchObject({
      name: 'ReviewProblemError',
      message: 'Giving “Dogs” the class “dogs” would put two files at train/dogs/0.png (and 2 more paths), and one would be lost. Give “Dogs” a name of its own here, or rename its files before dropping them.',
    });
    expect(await store.usage(), 'nothing stored').toEqual({ blobs: 0, blobBytes: 0, objects: 0 });
    const { workspace } = await addToWorkspace(store, await previewIngest(drop(['upper-', ''])), merge);
    expect(workspace.dataset.entries.map((entry) => [entry.path, entry.label])).toEqual([
      ...[0, 1, 2].map((i) => [`train/dogs/${i}.png`, 'dogs']),
      ...[0, 1, 2].map((i) => [`train/dogs/upper-${i}.png`, 'dogs']),
    ]);
  });

  it('takes any folder name as a class, renames and loose labels included, and stores a data set that reads back', async () => {
    const store = await freshStore();
    const folders = Object.fromEntries(ODD_LABELS.flatMap((label) => [[`train/${label}`, 2], [`validation/${label}`, 1]]));
    const preview = await previewIngest([tutorialZip('odd', folders)]);
    expect(summarizePreview(preview.plan).classes.map((row) => [row.label, row.counts.train, row.counts.validation])).toEqual(
      [...ODD_LABELS].sort((a, b) => a.localeCompare(b)).map((label) => [label, 2, 1]),
    );
    const renames = new Map([['valueOf', '__defineGetter__'], ['constructor', 'constructor']]);
    const { workspace } = await addToWorkspace(store, preview, { renames });
    const labels = (entries: readonly { label: string }[]) => [...new Set(entries.map((entry) => entry.label))].sort();
    const expected = ODD_LABELS.map((label) => (label === 'valueOf' ? '__defineGetter__' : label)).sort();
    expect(labels(workspace.dataset.entries)).toEqual(expected);
    expect(workspace.dataset.entries.filter((entry) => entry.label === '__defineGetter__').map((entry) => entry.path)).toEqual([
      'train/__defineGetter__/odd0.png',
      'train/__defineGetter__/odd1.png',
      'validation/__defineGetter__/odd0.png',
    ]);

    // Read back through another connection: the stored object is valid as it is.
    const again = await openStore({ name: store.name });
    expect(labels((await readWorkspace(again)).dataset!.entries)).toEqual(expected);
    expect((await again.verify()).ok).toBe(true);

    const loose = await previewIngest([{ path: 'x.png', blob: new Blob([image('loose x')]) }]);
    const { workspace: withLoose } = await addToWorkspace(store, loose, { looseLabel: '__proto__' });
    expect(withLoose.dataset.entries.filter((entry) => entry.label === '__proto__').map((entry) => entry.path)).toEqual([
      '__proto__/x.png',
      'train/__proto__/odd0.png',
      'train/__proto__/odd1.png',
      'validation/__proto__/odd0.png',
    ]);
  });

  it('rejects a bad zip with its reason and still takes the rest of the drop', async () => {
    const good = tutorialZip('ok', { 'train/cats': 2 });
    const evil = { path: 'evil.zip', blob: new Blob([zipSync({ '../../etc/evil.png': image('evil') }) as Uint8Array<ArrayBuffer>]) };
    const truncated = { path: 'cut.zip', blob: (await good.blob.arrayBuffer().then((b) => new Blob([b.slice(0, 100)]))) };
    const preview = await previewIngest([good, evil, truncated]);
    expect(preview.plan.accepted).toHaveLength(2);
    const rejected = Object.fromEntries(preview.plan.rejected.map((r) => [r.path, r.reason]));
    expect(rejected['evil.zip']).toMatch(/\.\./);
    expect(rejected['cut.zip']).toMatch(/truncated|damaged|not a zip/i);
  });

  it('cancelled mid-store: the workspace is untouched and nothing references a missing blob', async () => {
    const store = await freshStore();
    const v1 = await ingest(store, [tutorialZip('v1', { 'train/cats': 3, 'train/dogs': 3 })]);
    const preview = await previewIngest([tutorialZip('big', { 'train/cats': 200 })]);
    const controller = new AbortController();
    const run = addToWorkspace(store, preview, {}, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(run).rejects.toThrow(/abort/i);
    expect((await readWorkspace(store)).id).toBe(v1.workspace.id);
    expect((await store.verify()).ok).toBe(true);
  });

  it('cancelled after the last file is stored, while the new data set is ready: the workspace is untouched', async () => {
    const store = await freshStore();
    const v1 = await ingest(store, [tutorialZip('v1', { 'train/cats': 3, 'train/dogs': 3 })]);
    const preview = await previewIngest([tutorialZip('more', { 'train/cats': 100 })]);
    const controller = new AbortController();
    const onProgress = ({ done, total }: { done: number; total: number }) => done === total && controller.abort();
    await expect(addToWorkspace(store, preview, {}, { signal: controller.signal, onProgress })).rejects.toThrow(/abort/i);
    expect((await readWorkspace(store)).id).toBe(v1.workspace.id);
    expect(await store.listObjects('dataset')).toHaveLength(1);
  });

  it('quota exceeded mid-ingest: a clear error, the workspace untouched, the store consistent', async () => {
    const store = await freshStore();
    const v1 = await ingest(store, [tutorialZip('v1', { 'train/cats': 2, 'train/dogs': 2 })]);
    const preview = await previewIngest([tutorialZip('more', { 'train/cats': 100 })]);
    const put = IDBObjectStore.prototype.put;
    let writes = 0;
    IDBObjectStore.prototype.put = function (this: IDBObjectStore, ...args: Parameters<typeof put>) {
      if (++writes > 20) throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    };
    try {
      await expect(addToWorkspace(store, preview, {})).rejects.toBeInstanceOf(QuotaExceededError);
    } finally {
      IDBObjectStore.prototype.put = put;
    }
    expect((await readWorkspace(store)).id).toBe(v1.workspace.id);
    const report = await store.verify();
    expect(report.ok).toBe(true);
  });
});
