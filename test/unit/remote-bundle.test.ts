import { strToU8, unzipSync, zipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { exportBundle, importBundle, INDEX_PATH } from '../../src/core/remote';
import { commitVersion } from '../../src/core/versions';
import { timelineView, tutorialHistory } from './remote-fixtures';
import { at, fakeTrain, freshStore, ingestDataZip, refSnapshot } from './versions-fixtures';

describe('bundles', () => {
  test('importing into an empty browser restores every version, tag and HEAD', async () => {
    const { store, v1 } = await tutorialHistory();
    const { zip, result } = await exportBundle(store);
    expect(result.versions).toHaveLength(2);
    const names = Object.keys(unzipSync(zip));
    expect(names).toContain(INDEX_PATH);
    // 28 images, 2 weights, 2 data set listings; both models' folders: metadata.json each,
    // one model.json (the same topology and weight names) and a listing each.
    expect(names.filter((name) => name.startsWith('files/md5/'))).toHaveLength(37);

    const target = await freshStore();
    const restored = await importBundle(target, zip, 'pawprint-bundle.zip');
    expect(restored.added).toHaveLength(2);
    expect(await timelineView(target)).toEqual(await timelineView(store));
    expect(await target.getRef('tags/v1.0')).toBe(v1);
    expect(await target.getRef('HEAD')).toBe(await store.getRef('HEAD'));
    expect((await target.verify()).ok).toBe(true);
  });

  test('the same history gives the same bundle, byte for byte', async () => {
    const { store } = await tutorialHistory();
    const first = (await exportBundle(store)).zip;
    const second = (await exportBundle(store)).zip;
    expect(second).toEqual(first);
  });

  test('into a browser with versions it merges: the bundle’s versions join, HEAD stays', async () => {
    const { store } = await tutorialHistory();
    const { zip } = await exportBundle(store);
    const target = await freshStore();
    await ingestDataZip(target, 0.02);
    await fakeTrain(target);
    const own = (await commitVersion(target, { message: 'Mine', now: at(9) })).id;
    await importBundle(target, zip, 'b.zip');
    await importBundle(target, zip, 'b.zip');
    const view = await timelineView(target);
    expect(view.map((item) => item.message)).toEqual(['Mine', 'More labels', 'First model']);
    expect(await target.getRef('HEAD')).toBe(own);
  });

  test('a malformed zip, one without an index, an unknown schema or a damaged file is refused and changes nothing', async () => {
    const { store } = await tutorialHistory();
    const { zip } = await exportBundle(store);
    const target = await freshStore();
    await ingestDataZip(target, 0.02);
    const before = await refSnapshot(target);
    const objects = (await target.listObjects()).length;

    const files = unzipSync(zip);
    const rezip = (change: (files: Record<string, Uint8Array>) => void) => {
      const copy = { ...files };
      change(copy);
      return zipSync(copy, { level: 0 });
    };
    const refusals: [Uint8Array, string | RegExp][] = [
      [zip.slice(0, zip.length - 30), /^b\.zip is not a Pawprint bundle: /],
      [strToU8('not a zip at all'), /^b\.zip is not a Pawprint bundle: /],
      [rezip((f) => delete f[INDEX_PATH]), 'b.zip has no pawprint/index.json'],
      [rezip((f) => (f[INDEX_PATH] = strToU8(JSON.stringify({ ...JSON.parse(new TextDecoder().decode(files[INDEX_PATH])), schema: 7 })))), 'Update Pawprint'],
      [rezip((f) => {
        // Weights: the target already has (and so never fetches) the images it shares with the bundle.
        const path = Object.keys(f).find((p) => new TextDecoder().decode(f[p]).startsWith('weights'))!;
        f[path] = f[path]!.map((byte, i) => (i === 0 ? byte ^ 0xff : byte));
      }), /files\/md5\/.+ on b\.zip is damaged/],
    ];
    for (const [bytes, message] of refusals) {
      await expect(importBundle(target, bytes, 'b.zip')).rejects.toThrow(message);
    }
    expect(await refSnapshot(target)).toEqual(before);
    expect((await target.listObjects()).length).toBe(objects);
  });
});
