import { describe, expect, test } from 'vitest';
import { removePaths, DatasetEditError } from '../../src/core/dataset/edit';
import { editWorkspace, readWorkspace } from '../../src/core/dataset/workspace';
import { FEEDBACK_REF } from '../../src/core/feedback/feedback-ref';
import { correctLabel } from '../../src/core/feedback/correct-label';
import { utf8Bytes } from '../../src/core/hash';
import { checkout, commitVersion, diffVersions, workspaceStatus } from '../../src/core/versions';
import { rejection } from './rejection';
import { at, fakeTrain, freshStore, ingestDataZip, refSnapshot } from './versions-fixtures';

const RECORD = 'a'.repeat(64);

async function v1Store() {
  const store = await freshStore();
  await ingestDataZip(store, 0.01);
  await fakeTrain(store);
  const v1 = await commitVersion(store, { message: 'v1', tag: 'v1.0', now: at(1) });
  return { store, v1: v1.id };
}

const entryAt = async (store: Awaited<ReturnType<typeof freshStore>>, path: string) =>
  (await readWorkspace(store)).dataset!.entries.find((entry) => entry.path === path);

describe('Correct label', () => {
  test('three batch images join train/<label>/ marked as feedback; the next version records them and their batch', async () => {
    const { store, v1 } = await v1Store();
    const { records } = await store.putBlobs(['one', 'two', 'three'].map((n) => utf8Bytes(`new photo ${n}`)));
    for (const [i, record] of records.entries()) {
      const corrected = await correctLabel(store, { sha256: record.sha256, name: `shots/img-${i}.jpg`, label: i === 2 ? 'dogs' : 'cats', source: 'batch', record: RECORD, batch: 'shots.zip' });
      expect(corrected).toEqual({ path: `train/${i === 2 ? 'dogs' : 'cats'}/img-${i}.jpg`, added: true, pending: i + 1 });
    }
    expect(await entryAt(store, 'train/dogs/img-2.jpg')).toMatchObject({ split: 'train', label: 'dogs', sha256: records[2]!.sha256, md5: records[2]!.md5, size: records[2]!.size });
    const status = await workspaceStatus(store);
    expect(status.feedback).toBe(3);
    expect(status.text).toBe('+3 files in train/cats, train/dogs, 3 feedback images, model trained on other data');

    const v3 = await commitVersion(store, { message: 'Corrected three', tag: 'v3.0', now: at(3) });
    expect(v3.version.feedback).toEqual(
      records.map((record, i) => ({ sha256: record.sha256, path: `train/${i === 2 ? 'dogs' : 'cats'}/img-${i}.jpg`, label: i === 2 ? 'dogs' : 'cats', source: 'batch', record: RECORD, batch: 'shots.zip' })),
    );
    expect((await refSnapshot(store))[FEEDBACK_REF]).toBeUndefined();
    expect((await workspaceStatus(store)).feedback).toBe(0);
    const diff = await diffVersions(store, v1, v3.id);
    expect(diff.feedback.from).toEqual([]);
    expect(diff.feedback.to).toHaveLength(3);
    expect(diff.files.added).toBe(3);
  });

  test('an image already in the data set (a confident mistake) moves to the right class, keeping its split unless one is chosen', async () => {
    const { store } = await v1Store();
    const mistake = (await entryAt(store, 'validation/cats/cats.1.jpg'))!;
    const moved = await correctLabel(store, { sha256: mistake.sha256, name: 'ignored.png', label: 'dogs', source: 'mistakes' });
    expect(moved).toEqual({ path: 'validation/dogs/cats.1.jpg', added: false, pending: 1 });
    expect(await entryAt(store, 'validation/cats/cats.1.jpg')).toBeUndefined();
    expect(await entryAt(store, 'validation/dogs/cats.1.jpg')).toMatchObject({ split: 'validation', label: 'dogs' });
    // train/cats/cats.1.jpg is another image: this one gets its short hash.
    const again = await correctLabel(store, { sha256: mistake.sha256, name: 'ignored.png', label: 'cats', split: 'train', source: 'mistakes' });
    expect(again).toEqual({ path: `train/cats/cats.1-${mistake.sha256.slice(0, 8)}.jpg`, added: false, pending: 1 });
    expect((await readWorkspace(store)).dataset!.entries.filter((entry) => entry.sha256 === mistake.sha256)).toHaveLength(1);
  });

  test('a name taken by another file gets the image’s short hash; a bad label or a missing image changes nothing', async () => {
    const { store } = await v1Store();
    const { record } = await store.putBlob(utf8Bytes('another cat'));
    const corrected = await correctLabel(store, { sha256: record.sha256, name: 'cats.0.jpg', label: 'cats', source: 'classify' });
    expect(corrected.path).toBe(`train/cats/cats.0-${record.sha256.slice(0, 8)}.jpg`);
    const before = await refSnapshot(store);
    for (const label of ['', 'a/b', 'train', ' cats']) {
      await rejection(correctLabel(store, { sha256: record.sha256, name: 'x.jpg', label, source: 'classify' }), DatasetEditError);
    }
    await rejection(correctLabel(store, { sha256: 'b'.repeat(64), name: 'x.jpg', label: 'cats', source: 'classify' }), DatasetEditError);
    expect(await refSnapshot(store)).toEqual(before);
  });

  test('a corrected file removed again is no longer feedback; checking out another version clears the rest, a stash records it', async () => {
    const { store, v1 } = await v1Store();
    const { records } = await store.putBlobs([utf8Bytes('p1'), utf8Bytes('p2')]);
    const a = await correctLabel(store, { sha256: records[0]!.sha256, name: 'p1.png', label: 'cats', source: 'classify' });
    await correctLabel(store, { sha256: records[1]!.sha256, name: 'p2.png', label: 'dogs', source: 'classify' });
    await editWorkspace(store, (entries) => removePaths(entries, [a.path]));
    expect((await workspaceStatus(store)).feedback).toBe(1);
    const result = await checkout(store, v1, { stashMessage: 'half-corrected' });
    expect(result.stash!.version.feedback).toEqual([expect.objectContaining({ sha256: records[1]!.sha256, path: 'train/dogs/p2.png', source: 'classify', record: null, batch: null })]);
    expect((await refSnapshot(store))[FEEDBACK_REF]).toBeUndefined();
    expect((await workspaceStatus(store)).feedback).toBe(0);
  });
});
