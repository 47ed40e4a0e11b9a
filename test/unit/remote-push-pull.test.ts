import { strFromU8, unzipSync } from 'fflate';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { exportDvcProject } from '../../src/core/exchange';
import { dvcCachePath, dvcDirText, md5Hex, sha256Hex, utf8Bytes } from '../../src/core/hash';
import { exportBundle, importBundle, INDEX_PATH, MemoryRemote, pull, push, TransferError, type PullResult } from '../../src/core/remote';
import type { Dataset } from '../../src/core/objects';
import { commitVersion, deleteVersion, tagVersion, untag } from '../../src/core/versions';
import { readWorkspace } from '../../src/core/dataset/workspace';
import { FlakyRemote, timelineView, tutorialHistory } from './remote-fixtures';
import { at, fakeTrain, freshStore, ingest, ingestDataZip, refSnapshot, storeImages } from './versions-fixtures';
import { ODD_LABELS } from './odd-labels';
import { rejection } from './rejection';
import { openStore } from '../../src/core/store';

afterEach(() => {
  vi.restoreAllMocks();
});

const text = (bytes: Uint8Array | null) => new TextDecoder().decode(bytes!);
const readIndexOf = async (remote: MemoryRemote) => JSON.parse(text(await remote.read(INDEX_PATH)));


describe('push to a remote', () => {
  test('writes DVC’s remote layout: every file under its md5, every data set’s .dir listing byte for byte', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    const result = await push(store, remote);

    const datasets = await Promise.all([v1, v2].map(async (id) => store.getObject((await store.getObject(id, 'version')).dataset, 'dataset')));
    const dvcFiles = [...remote.files].filter(([path]) => path.startsWith('files/md5/'));
    for (const [path, bytes] of dvcFiles) expect(path).toBe(`files/md5/${(await md5Hex(bytes)).replace(/^(..)/, '$1/')}${path.endsWith('.dir') ? '.dir' : ''}`);
    for (const dataset of datasets) {
      const listing = remote.files.get(dvcCachePath(dataset.dvc.md5))!;
      expect(text(listing)).toBe(dvcDirText(dataset.entries.map((e) => ({ md5: e.md5, relpath: e.path }))));
    }
    // What `dvc pull` of "Download as DVC project" needs: data.dvc's and model.dvc's listings
    // and every file they list.
    for (const id of [v1, v2]) {
      const project = unzipSync(await exportDvcProject(store, id));
      for (const out of ['data.dvc', 'model.dvc']) {
        const dirHash = /md5: ([0-9a-f]{32}\.dir)/.exec(strFromU8(project[out]!))![1]!;
        const listing = JSON.parse(text(remote.files.get(dvcCachePath(dirHash)) ?? null)) as { md5: string; relpath: string }[];
        const folder = out.replace('.dvc', '');
        expect(listing.map((entry) => entry.relpath).sort()).toEqual(Object.keys(project).filter((name) => name.startsWith(`${folder}/`)).map((name) => name.slice(folder.length + 1)).sort());
        for (const { md5 } of listing) expect(remote.files.has(dvcCachePath(md5)), `${out} lists ${md5}`).toBe(true);
      }
    }
    // Records are their canonical JSON, named by its sha256.
    for (const [path, bytes] of [...remote.files].filter(([p]) => p.startsWith('pawprint/objects/'))) {
      expect(path).toBe(`pawprint/objects/${await sha256Hex(bytes)}.json`);
    }
    expect(await readIndexOf(remote)).toMatchObject({ format: 'pawprint-remote', schema: 1, versions: [v1, v2], tags: { 'v1.0': v1, 'v2.0': v2 }, head: v2 });
    expect(result).toMatchObject({ versions: [v1, v2], written: remote.files.size, skipped: 0, tagConflicts: [] });
  });

  test('a second push writes nothing but the index', async () => {
    const { store } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    const first = await push(store, remote);
    const second = await push(store, remote);
    expect(second).toMatchObject({ written: 1, skipped: first.written - 1 });
    expect(second.bytesWritten).toBe(remote.files.get(INDEX_PATH)!.byteLength);
  });

  test('pushing only v2 brings v1 along as its parent; progress counts every file', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    const progress: number[] = [];
    const result = await push(store, remote, { versionIds: [v2], onProgress: ({ done, total }) => progress.push(total - done) });
    expect(result.versions).toEqual([v1, v2]);
    expect(progress.at(-1)).toBe(0);
    expect(progress).toHaveLength(remote.files.size);
  });

  test('an interrupted push leaves the remote’s index as it was; the next push completes it, skipping what arrived', async () => {
    const { store, v1 } = await tutorialHistory();
    const remote = new FlakyRemote(Infinity, () => new Error('connection reset'));
    await push(store, remote, { versionIds: [v1] });
    const indexBefore = text(await remote.read(INDEX_PATH));

    remote.failAt = remote.writes + 8;
    const error = await rejection(push(store, remote), TransferError);
    expect(error.message).toMatch(/^Push to a flaky remote failed at files\/md5\/.+: connection reset Not added to the remote's index: v1\.0 and v2\.0; the \d+ files written so far will be skipped by the next push\.$/);
    expect(text(await remote.read(INDEX_PATH))).toBe(indexBefore);

    const abort = new AbortController();
    const aborting = new FlakyRemote(Infinity, () => new Error('unused'));
    await rejection(push(store, aborting, { signal: abort.signal, onProgress: ({ done }) => done === 5 && abort.abort() }), DOMException);
    expect(await aborting.has(INDEX_PATH)).toBe(false);

    const retry = await push(store, remote);
    expect(retry.skipped).toBeGreaterThan(0);
    expect((await readIndexOf(remote)).versions).toHaveLength(2);
    const fresh = await freshStore();
    expect((await pull(fresh, remote)).added).toHaveLength(2);
  });

  test('a remote’s tag on another version is kept and reported', async () => {
    const { store, v1 } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote, { versionIds: [v1] });
    const other = await tutorialHistory();
    await tagVersion(other.store, other.v2, 'v1.0-final');
    const result = await push(other.store, remote);
    expect(result.tagConflicts).toEqual([{ tag: 'v1.0', kept: v1, other: other.v1 }]);
    expect((await readIndexOf(remote)).tags).toMatchObject({ 'v1.0': v1, 'v1.0-final': other.v2, 'v2.0': other.v2 });
  });
});

describe('pull from a remote', () => {
  test('into an empty browser: the same timeline, tags and HEAD, checked out; every file verified by verify()', async () => {
    const { store } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote);
    const target = await freshStore();
    const result = await pull(target, remote);

    expect(await timelineView(target)).toEqual(await timelineView(store));
    expect(result).toMatchObject({ filesFetched: 30, filesSkipped: 0, tagConflicts: [], checkedOut: (await store.getRef('HEAD'))! });
    expect((await readWorkspace(target)).id).toBe((await readWorkspace(store)).id);
    const report = await target.verify();
    expect(report.ok).toBe(true);
  });

  test('a remote without the pusher’s HEAD: an empty browser checks out the newest version pulled', async () => {
    const { store, v1 } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote, { versionIds: [v1] });
    expect((await readIndexOf(remote)).head).toBeNull();
    const target = await freshStore();
    expect((await pull(target, remote)).checkedOut).toBe(v1);
    expect(await target.getRef('HEAD')).toBe(v1);
  });

  test('a browser with uncommitted data but no versions gets the versions; its work is not checked out over', async () => {
    const { store } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote);
    const target = await freshStore();
    const work = await ingestDataZip(target, 0.03);
    const result = await pull(target, remote);
    expect(result).toMatchObject({ checkedOut: null, checkoutSkipped: 'this browser has work that is not committed; check the version out yourself when ready' });
    expect(result.added).toHaveLength(2);
    expect((await readWorkspace(target)).id).toBe(work);
    expect(await target.getRef('HEAD')).toBeUndefined();
  });

  test('pulling again adds nothing and fetches nothing', async () => {
    const { store } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote);
    const target = await freshStore();
    await pull(target, remote);
    const refs = await refSnapshot(target);
    const objects = (await target.listObjects()).length;
    const again = await pull(target, remote);
    expect(again).toMatchObject({ added: [], filesFetched: 0, checkedOut: null });
    expect(await refSnapshot(target)).toEqual(refs);
    expect((await target.listObjects()).length).toBe(objects);
  });

  test('a version whose parent was deleted before the push is pulled: its history starts there', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    await untag(store, 'v1.0');
    await deleteVersion(store, v1);
    const remote = new MemoryRemote('folder');
    expect((await push(store, remote)).versions).toEqual([v2]);
    const target = await freshStore();
    const result = await pull(target, remote);
    expect(result.added).toEqual([v2]);
    expect(await timelineView(target)).toEqual(await timelineView(store));
    const report = await target.verify();
    expect(report.missingParents).toEqual([{ from: v2, to: v1 }]);
    expect(report.ok).toBe(true);
  });

  test('merges into a browser with its own versions: both timelines, local HEAD and tags stay, a tag conflict is reported', async () => {
    const { store, v1, v2 } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote);

    const target = await freshStore();
    await ingestDataZip(target, 0.02);
    await fakeTrain(target);
    const own = (await commitVersion(target, { message: 'Mine', tag: 'v1.0', now: at(5) })).id;
    const result: PullResult = await pull(target, remote);

    expect(result.added).toEqual([v1, v2]);
    expect(result.tagConflicts).toEqual([{ tag: 'v1.0', kept: own, other: v1 }]);
    expect(result.checkedOut).toBeNull();
    expect(await timelineView(target)).toEqual([
      { id: own, message: 'Mine', tags: ['v1.0'], isHead: true },
      { id: v2, message: 'More labels', tags: ['v2.0'], isHead: false },
      { id: v1, message: 'First model', tags: [], isHead: false },
    ]);
  });

  test('takes the store lock only to store: nothing is read from the remote under it, and a refused pull never takes it', async () => {
    const { store, v1 } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote);
    let locked = false;
    let locks = 0;
    let readsUnderLock = 0;
    const read = remote.read.bind(remote);
    remote.read = async (path) => {
      if (locked) readsUnderLock++;
      return read(path);
    };
    const lock = async <T>(work: () => Promise<T>): Promise<T> => {
      locks++;
      locked = true;
      try {
        return await work();
      } finally {
        locked = false;
      }
    };
    const lockedStore = async () => openStore({ name: (await freshStore()).name, lock });

    const target = await lockedStore();
    const result = await pull(target, remote);
    expect([locks, readsUnderLock]).toEqual([1, 0]);
    expect(result.filesFetched).toBe(30);

    const dataset: Dataset = await store.getObject((await store.getObject(v1, 'version')).dataset, 'dataset');
    const path = dvcCachePath(dataset.entries[3]!.md5);
    const tampered = remote.files.get(path)!.slice();
    tampered[0]! ^= 1;
    remote.files.set(path, tampered);
    await rejection(pull(await lockedStore(), remote), TransferError);
    expect(locks).toBe(1);
  });

  test('a file changed by one byte is refused, naming it; nothing is added', async () => {
    const { store, v1 } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote);
    const dataset: Dataset = await store.getObject((await store.getObject(v1, 'version')).dataset, 'dataset');
    const entry = dataset.entries[3]!;
    const path = `files/md5/${entry.md5.slice(0, 2)}/${entry.md5.slice(2)}`;
    const tampered = remote.files.get(path)!.slice();
    tampered[0]! ^= 1;
    remote.files.set(path, tampered);

    const target = await freshStore();
    const error = await rejection(pull(target, remote), TransferError);
    expect(error.message).toBe(`Pull from folder failed: ${path} on folder is damaged: its md5 is ${await md5Hex(tampered)}. Nothing was added to this browser's versions (not transferred: v1.0 and v2.0).`);
    expect(await refSnapshot(target)).toEqual({});
    expect(await target.listObjects()).toEqual([]);
    expect((await target.usage()).blobs).toBe(0);
  });

  test('a pull whose records do not fit (quota) takes back the files it stored: nothing is added, nothing is left', async () => {
    const { store } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote);
    const target = await freshStore();
    await ingestDataZip(target, 0.03);
    const before = { refs: await refSnapshot(target), usage: await target.usage() };
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'objects') throw new DOMException('The quota has been exceeded.', 'QuotaExceededError');
      return put.apply(this, args);
    });
    const error = await rejection(pull(target, remote), TransferError);
    expect(error.message).toMatch(/^Pull from folder failed: The browser ran out of storage space while saving .+ Nothing was added to this browser's versions \(not transferred: v1\.0 and v2\.0\)\.$/);
    vi.restoreAllMocks();
    expect({ refs: await refSnapshot(target), usage: await target.usage() }).toEqual(before);
    expect(await target.unreachable()).toMatchObject({ blobs: 0, bytes: 0 });
  });

  test('a changed record or a missing file is refused, naming it', async () => {
    const { store, v2 } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    await push(store, remote);
    const versionPath = `pawprint/objects/${v2}.json`;
    const original = remote.files.get(versionPath)!;
    remote.files.set(versionPath, utf8Bytes(text(original).replace('More labels', 'More Labels')));
    const target = await freshStore();
    expect((await rejection(pull(target, remote), TransferError)).message).toMatch(`${versionPath} on folder was refused: its content hashes to`);

    remote.files.set(versionPath, original);
    const weights = [...remote.files.keys()].find((p) => p.startsWith('files/md5/') && !p.endsWith('.dir') && text(remote.files.get(p)!).startsWith('weights'))!;
    remote.files.delete(weights);
    expect((await rejection(pull(target, remote), TransferError)).message).toMatch(`${weights} is missing on folder.`);
    expect(await refSnapshot(target)).toEqual({});
  });

  test('an index of an unknown schema, or none, is refused with what to do', async () => {
    const { store } = await tutorialHistory();
    const remote = new MemoryRemote('folder');
    const target = await freshStore();
    expect((await rejection(pull(target, remote), TransferError)).message).toBe(
      "Pull from folder failed: folder has no pawprint/index.json: nothing was pushed there, or it is not a Pawprint remote. Nothing was added to this browser's versions.",
    );
    await push(store, remote);
    remote.files.set(INDEX_PATH, utf8Bytes(JSON.stringify({ ...(await readIndexOf(remote)), schema: 2 })));
    expect((await rejection(pull(target, remote), TransferError)).message).toMatch(
      'pawprint/index.json on folder is in index format 2, but this version of Pawprint reads format 1. Update Pawprint to use this remote.',
    );
    const before = new Map(remote.files);
    expect((await rejection(push(store, remote), TransferError)).message).toMatch(
      /^Push to folder failed at pawprint\/index\.json: pawprint\/index\.json on folder is in index format 2, .+ Update Pawprint to use this remote\. Not added to the remote's index: v1\.0 and v2\.0; the 0 files written so far/,
    );
    expect(remote.files).toEqual(before);
    expect(await refSnapshot(target)).toEqual({});
  });
});

describe('class folders and tags of any name', () => {
  test('push, pull and a bundle keep labels and tags named after object members, and merge tags by name', async () => {
    const store = await freshStore();
    await ingest(store, ...(await Promise.all(ODD_LABELS.map((label) => storeImages(store, 'train', label, 2)))));
    await fakeTrain(store);
    const v1 = (await commitVersion(store, { message: 'Odd classes', tag: '__proto__', now: at(1) })).id;
    await ingest(store, await storeImages(store, 'validation', 'constructor', 2));
    const v2 = (await commitVersion(store, { message: 'More', tag: 'constructor', now: at(2) })).id;
    await tagVersion(store, v1, 'toString');

    const remote = new MemoryRemote('folder');
    expect((await push(store, remote)).tagConflicts).toEqual([]);
    const index = await readIndexOf(remote);
    expect(Object.entries(index.tags).sort()).toEqual([['__proto__', v1], ['constructor', v2], ['toString', v1]]);

    // Pushing again, with a tag the remote lacks: merged by name, no conflict made up from Object.prototype.
    await tagVersion(store, v2, 'valueOf');
    expect((await push(store, remote)).tagConflicts).toEqual([]);
    expect(Object.keys((await readIndexOf(remote)).tags).sort()).toEqual(['__proto__', 'constructor', 'toString', 'valueOf']);

    const target = await freshStore();
    expect((await pull(target, remote)).tagConflicts).toEqual([]);
    expect(await refSnapshot(target)).toMatchObject({ 'tags/__proto__': v1, 'tags/constructor': v2, 'tags/toString': v1, 'tags/valueOf': v2 });
    const dataset = (await readWorkspace(target)).dataset!;
    expect(new Set(dataset.entries.map((entry) => entry.label))).toEqual(new Set(ODD_LABELS));

    const bundled = await freshStore();
    await importBundle(bundled, (await exportBundle(store)).zip, 'odd.zip');
    expect(await refSnapshot(bundled)).toMatchObject({ 'tags/__proto__': v1, 'tags/constructor': v2, 'tags/toString': v1, 'tags/valueOf': v2 });
    expect(await timelineView(bundled)).toEqual(await timelineView(store));
  });
});
