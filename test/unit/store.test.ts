import { openDB } from 'idb';
import { afterEach, describe, expect, test, vi } from 'vitest';
import { hashBytes, utf8Bytes } from '../../src/core/hash';
import { buildDataset, objectId, type Dataset, type ModelRecord, type Version } from '../../src/core/objects';
import {
  CorruptObjectError,
  InvalidObjectError,
  MissingObjectError,
  QuotaExceededError,
  RefsMovedError,
  openStore,
  type Store,
} from '../../src/core/store';

const openStores: Store[] = [];

afterEach(() => {
  vi.restoreAllMocks();
  openStores.splice(0).forEach((store) => store.close());
});

async function freshStore(): Promise<Store> {
  const store = await openStore({ name: crypto.randomUUID() });
  openStores.push(store);
  return store;
}

/** The store's database opened directly, to inspect or damage it behind the store's back. */
function rawDb(store: Store) {
  return openDB(store.name);
}

async function sha(text: string): Promise<string> {
  return (await hashBytes(utf8Bytes(text))).sha256;
}

/** Stores the files' bytes and returns a dataset over them (not committed). */
async function storeDataset(store: Store, files: Record<string, string>): Promise<Dataset> {
  const paths = Object.keys(files);
  const { records } = await store.putBlobs(paths.map((path) => utf8Bytes(files[path]!)));
  const entries = records.map(({ sha256, md5, size }, i) => ({ path: paths[i]!, sha256, md5, size, split: 'train' as const, label: 'cats' }));
  return buildDataset('data', entries);
}

async function storeModel(store: Store, weights: string): Promise<ModelRecord> {
  const { record } = await store.putBlob(utf8Bytes(weights));
  return {
    kind: 'model',
    schema: 1,
    architecture: 'reference-convnet',
    inputShape: [32, 32, 3],
    classNames: ['cats', 'dogs'],
    modelTopology: {},
    weightSpecs: [],
    weights: record.sha256,
    weightsSize: record.size,
  };
}

function version(dataset: string, model: string | null, parent: string | null, message: string): Version {
  return {
    kind: 'version',
    schema: 1,
    parent,
    dataset,
    model,
    params: { epochs: 2 },
    metrics: { accuracy: 0.5 },
    history: [{ epoch: 0, accuracy: 0.5 }],
    message,
    createdAt: '2024-05-01T12:00:00.000Z',
    run: null,
  };
}

/** Commits dataset + model + version and tags it. Returns the three ids. */
async function commitVersion(store: Store, tag: string, files: Record<string, string>, weights: string, parent: string | null = null) {
  const dataset = await storeDataset(store, files);
  const model = await storeModel(store, weights);
  const [datasetId, modelId] = [await objectId(dataset), await objectId(model)];
  const v = version(datasetId, modelId, parent, tag);
  const [, , versionId] = await store.commit({ objects: [dataset, model, v], refs: new Map([[`tags/${tag}`, await objectId(v)], ['HEAD', await objectId(v)]]) });
  return { datasetId, modelId, versionId: versionId! };
}

function quotaError(): DOMException {
  return new DOMException('The quota has been exceeded.', 'QuotaExceededError');
}

/** Makes IndexedDB puts into one object store throw. */
function failPutsInto(storeName: string, error: () => Error) {
  const put = IDBObjectStore.prototype.put;
  return vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
    if (this.name === storeName) throw error();
    return put.apply(this, args);
  });
}

describe('putBlob', () => {
  test('is idempotent: the same bytes twice store one blob', async () => {
    const store = await freshStore();
    const first = await store.putBlob(new Blob(['hello'], { type: 'text/plain' }));
    const second = await store.putBlob(utf8Bytes('hello'));
    expect(first.stored).toBe(true);
    expect(second.stored).toBe(false);
    expect(second.record).toEqual(first.record);
    expect(first.record).toMatchObject({ ...(await hashBytes(utf8Bytes('hello'))), type: 'text/plain' });
    expect(await store.usage()).toEqual({ blobs: 1, blobBytes: 5, objects: 0 });
  });

  test('accepts Blob, ArrayBuffer and views into a larger buffer', async () => {
    const store = await freshStore();
    const view = new Uint8Array(utf8Bytes('xxabcyy').buffer, 2, 3);
    const fromView = await store.putBlob(view, { type: 'application/octet-stream' });
    expect(fromView.record.sha256).toBe(await sha('abc'));
    expect((await store.putBlob(utf8Bytes('abc').buffer)).stored).toBe(false);
    expect((await store.putBlob(new Blob(['abc']))).stored).toBe(false);
    const blob = await store.getBlob(fromView.record.sha256);
    expect(await blob.text()).toBe('abc');
    expect(blob.type).toBe('application/octet-stream');
  });

  test('refuses an aborted signal before doing anything', async () => {
    const store = await freshStore();
    await expect(store.putBlob(utf8Bytes('x'), { signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    expect((await store.usage()).blobs).toBe(0);
  });
});

describe('putBlobs', () => {
  test('dedup accounting: 5 items with 2 repeats', async () => {
    const store = await freshStore();
    const progress: { done: number; bytes: number }[] = [];
    const items = ['aa', 'bbb', 'aa', 'cccc', 'bbb'].map((text) => utf8Bytes(text));
    const result = await store.putBlobs(items, { onProgress: (p) => progress.push(p) });
    expect(result).toMatchObject({ storedCount: 3, skippedCount: 2, bytesStored: 2 + 3 + 4, bytesSkipped: 2 + 3 });
    expect(result.records.map((r) => r.size)).toEqual([2, 3, 2, 4, 3]);
    expect(result.records[2]).toEqual(result.records[0]);
    expect(progress.at(-1)).toEqual({ done: 5, bytes: 14 });
    expect(await store.usage()).toEqual({ blobs: 3, blobBytes: 9, objects: 0 });

    const again = await store.putBlobs(items);
    expect(again).toMatchObject({ storedCount: 0, skippedCount: 5, bytesStored: 0, bytesSkipped: 14 });
  });

  test('dedups across batches and takes async iterables', async () => {
    const store = await freshStore();
    async function* files() {
      for (let i = 0; i < 150; i++) yield new Blob([`file ${i % 10}`]);
    }
    const result = await store.putBlobs(files());
    expect(result.storedCount).toBe(10);
    expect(result.skippedCount).toBe(140);
    expect(result.records).toHaveLength(150);
    expect((await store.usage()).blobs).toBe(10);
  });

  test('an abort stops it between items', async () => {
    const store = await freshStore();
    const controller = new AbortController();
    let pulled = 0;
    function* files() {
      for (let i = 0; i < 10; i++) {
        pulled++;
        if (i === 3) controller.abort();
        yield utf8Bytes(`file ${i}`);
      }
    }
    await expect(store.putBlobs(files(), { signal: controller.signal })).rejects.toMatchObject({ name: 'AbortError' });
    expect(pulled).toBe(4);
    expect((await store.usage()).blobs).toBe(0); // the unfinished batch was never written
  });
});

describe('reading blobs', () => {
  test('has / missing / record / getBlobs, including missing ones', async () => {
    const store = await freshStore();
    const [a, b] = [(await store.putBlob(utf8Bytes('a'))).record, (await store.putBlob(utf8Bytes('b'))).record];
    const absent = await sha('never stored');
    expect(await store.hasBlob(a.sha256)).toBe(true);
    expect(await store.hasBlob(absent)).toBe(false);
    expect(await store.getBlobRecord(b.sha256)).toEqual(b);
    expect(await store.getBlobRecord(absent)).toBeUndefined();
    expect(await store.missingBlobs([a.sha256, absent, b.sha256, absent])).toEqual([absent]);

    const blobs = await store.getBlobs([a.sha256, b.sha256]);
    expect([...blobs.keys()]).toEqual([a.sha256, b.sha256]);
    expect(await blobs.get(b.sha256)!.text()).toBe('b');

    const missing = await store.getBlobs([a.sha256, absent]).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(MissingObjectError);
    expect((missing as MissingObjectError).ids).toEqual([absent]);
    expect((missing as MissingObjectError).code).toBe('missing');
    await expect(store.getBlob(absent)).rejects.toThrow(MissingObjectError);
  });
});

describe('commit', () => {
  test('writes objects and refs; ids in input order', async () => {
    const store = await freshStore();
    const { datasetId, modelId, versionId } = await commitVersion(store, 'v1.0', { 'train/cats/a.jpg': 'A' }, 'weights');
    expect(await store.getRef('tags/v1.0')).toBe(versionId);
    expect(await store.getRef('HEAD')).toBe(versionId);
    expect(((await store.getObject(versionId)) as Version).dataset).toBe(datasetId);
    expect((await store.getObject(modelId)).kind).toBe('model');
    expect(await store.hasObject(datasetId)).toBe(true);
    expect((await store.listObjects('version')).map((r) => r.id)).toEqual([versionId]);
    expect(await store.listObjects()).toHaveLength(3);
    expect((await store.listRefs('tags/')).map((r) => [r.name, r.target])).toEqual([['tags/v1.0', versionId]]);
    await expect(store.getObject('f'.repeat(64))).rejects.toThrow(MissingObjectError);
  });

  test('is idempotent for objects already stored', async () => {
    const store = await freshStore();
    const dataset = await storeDataset(store, { a: 'a' });
    const first = await store.commit({ objects: [dataset] });
    const second = await store.commit({ objects: [dataset, dataset] });
    expect(second).toEqual([first[0], first[0]]);
    expect((await store.usage()).objects).toBe(1);
  });

  test('a missing blob aborts everything: no objects, no refs', async () => {
    const store = await freshStore();
    const dataset = await storeDataset(store, { 'a.jpg': 'A' });
    const ghost = await hashBytes(utf8Bytes('never stored'));
    const broken = await buildDataset('data', [...dataset.entries, { path: 'ghost.jpg', ...ghost, split: null, label: 'cats' }]);
    const v = version(await objectId(broken), null, null, 'broken');
    const error = await store.commit({ objects: [broken, v], refs: new Map([['HEAD', await objectId(v)]]) }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(MissingObjectError);
    expect((error as MissingObjectError).ids).toEqual([ghost.sha256]);
    expect((await store.usage()).objects).toBe(0);
    expect(await store.listRefs()).toEqual([]);
  });

  test('a missing object or ref target aborts everything', async () => {
    const store = await freshStore();
    const dataset = await storeDataset(store, { a: 'a' });
    const nowhere = 'e'.repeat(64);
    const orphan = version(await objectId(dataset), null, nowhere, 'parent missing');
    await expect(store.commit({ objects: [dataset, orphan] })).rejects.toMatchObject({ ids: [nowhere] });
    await expect(store.commit({ objects: [dataset], refs: new Map([['HEAD', nowhere]]) })).rejects.toMatchObject({ ids: [nowhere] });
    expect((await store.usage()).objects).toBe(0);
    expect(await store.listRefs()).toEqual([]);
  });

  test('a failure in the middle of the transaction leaves nothing behind', async () => {
    const store = await freshStore();
    const dataset = await storeDataset(store, { a: 'a' });
    const v = version(await objectId(dataset), null, null, 'v');
    failPutsInto('refs', () => new Error('disk on fire'));
    await expect(store.commit({ objects: [dataset, v], refs: new Map([['HEAD', await objectId(v)]]) })).rejects.toThrow('disk on fire');
    vi.restoreAllMocks();
    expect((await store.usage()).objects).toBe(0);
    expect(await store.listRefs()).toEqual([]);
  });

  test('rejects malformed objects and ref names before writing', async () => {
    const store = await freshStore();
    const dataset = await storeDataset(store, { a: 'a' });
    await expect(store.commit({ objects: [{ ...dataset, root: '' }] })).rejects.toThrow(InvalidObjectError);
    await expect(store.commit({ objects: [dataset], refs: new Map([['tags//x', await objectId(dataset)]]) })).rejects.toThrow(InvalidObjectError);
    expect((await store.usage()).objects).toBe(0);
  });
});

describe('commit: removals and expected refs (compare-and-set)', () => {
  test('moves and removes refs in one transaction when the expected ones are unchanged', async () => {
    const store = await freshStore();
    const { versionId } = await commitVersion(store, 'v1.0', { a: 'a' }, 'w');
    await store.commit({ refs: new Map([['tags/v1.1', versionId]]), removeRefs: ['tags/v1.0'], expectRefs: new Map([['HEAD', versionId], ['tags/v1.0', versionId], ['tags/v1.1', null]]) });
    expect((await store.listRefs()).map((r) => r.name)).toEqual(['HEAD', 'tags/v1.1']);
  });

  test('a ref moved (or added) since it was read refuses the whole commit, naming it', async () => {
    const store = await freshStore();
    const { versionId, datasetId } = await commitVersion(store, 'v1.0', { a: 'a' }, 'w');
    const before = await store.listRefs();
    const other = version(datasetId, null, versionId, 'other');
    const moved = await store
      .commit({ objects: [other], refs: new Map([['HEAD', await objectId(other)]]), removeRefs: ['tags/v1.0'], expectRefs: new Map([['HEAD', 'f'.repeat(64)], ['tags/v2.0', null]]) })
      .catch((e: unknown) => e);
    expect(moved).toBeInstanceOf(RefsMovedError);
    expect((moved as RefsMovedError).names).toEqual(['HEAD']);
    await store.setRef('tags/v2.0', versionId);
    await expect(store.commit({ removeRefs: ['tags/v1.0'], expectRefs: new Map([['tags/v2.0', null]]) })).rejects.toMatchObject({ code: 'refs-moved', names: ['tags/v2.0'] });
    expect(await store.listRefs()).toEqual([...before, expect.objectContaining({ name: 'tags/v2.0' })]);
    expect(await store.hasObject(await objectId(other))).toBe(false);
  });
});

describe('reading objects in bulk', () => {
  test('getObjects, findObjects and missingObjects read several at once; a kind is checked', async () => {
    const store = await freshStore();
    const { versionId, datasetId, modelId } = await commitVersion(store, 'v1.0', { a: 'a' }, 'w');
    const absent = 'a'.repeat(64);
    expect([...(await store.getObjects([versionId, null, versionId], 'version')).keys()]).toEqual([versionId]);
    await expect(store.getObjects([versionId, absent], 'version')).rejects.toMatchObject({ ids: [absent] });
    expect([...(await store.findObjects([absent, datasetId], 'dataset')).keys()]).toEqual([datasetId]);
    await expect(store.findObjects([modelId], 'dataset')).rejects.toThrow(CorruptObjectError);
    expect((await store.getObject(modelId, 'model')).weightsSize).toBe(1);
    await expect(store.getObject(modelId, 'version')).rejects.toThrow(/a model where a version was expected/);
    expect(await store.missingObjects([absent, datasetId, absent])).toEqual([absent]);
  });
});

describe('the store lock', () => {
  test('every write takes it, once; reads do not; writes through the locked view do not take it again', async () => {
    const name = crypto.randomUUID();
    let locks = 0;
    const store = await openStore({
      name,
      lock: async (work) => {
        locks++;
        return work();
      },
    });
    openStores.push(store);
    const taken = async (write: () => Promise<unknown>) => {
      const before = locks;
      await write();
      return locks - before;
    };
    const dataset = await storeDataset(store, { a: 'a' });
    const datasetId = await objectId(dataset);
    const writes = {
      putBlob: () => store.putBlob(utf8Bytes('b')),
      putBlobs: () => store.putBlobs([utf8Bytes('c')]),
      commit: () => store.commit({ objects: [dataset], refs: new Map([['workspace', datasetId]]) }),
      setRef: () => store.setRef('other', datasetId),
      deleteRef: () => store.deleteRef('other'),
      gc: () => store.gc(),
      updateDerived: () => store.updateDerived({ put: [['k', 1]] }),
      unreachable: () => store.unreachable(),
      cleanUp: () => store.cleanUp(),
      discardBlobs: () => store.discardBlobs([]),
    };
    for (const [what, write] of Object.entries(writes)) expect(await taken(write), what).toBe(1);
    const reads = [store.getRef('workspace'), store.getObject(datasetId), store.getBlobs(dataset.entries.map((e) => e.sha256)), store.usage(), store.getDerived('k')];
    expect(await taken(() => Promise.all(reads))).toBe(0);
    // Verify reads without the lock, then takes it once to find what is unreachable.
    expect(await taken(() => store.verify())).toBe(1);
    expect(
      await taken(() =>
        store.underLock(async (locked) => {
          await locked.putBlobs([utf8Bytes('d')]);
          await locked.commit({ refs: new Map([['again', datasetId]]) });
          await locked.gc();
        }),
      ),
    ).toBe(1);
  });

  test('gc from another connection waits for work under the lock: blobs stored but not yet referenced survive', async () => {
    const store = await freshStore();
    const other = await openStore({ name: store.name });
    openStores.push(other);
    let gc: Promise<{ blobsDeleted: number }> | undefined;
    await store.underLock(async (locked) => {
      const dataset = await storeDataset(locked, { 'cats/a.jpg': 'A', 'cats/b.jpg': 'B' });
      // Another tab's delete + gc starts here, between storing and referencing: it must wait.
      gc = other.gc();
      await new Promise((resolve) => setTimeout(resolve, 20));
      await locked.commit({ objects: [dataset], refs: new Map([['workspace', await objectId(dataset)]]) });
    });
    expect(await gc).toMatchObject({ blobsDeleted: 0 });
    const dataset = await store.getObject((await store.getRef('workspace'))!, 'dataset');
    expect(await store.missingBlobs(dataset.entries.map((e) => e.sha256))).toEqual([]);
  });
});

describe('refs', () => {
  test('setRef refuses a target that is not stored; get/list/delete', async () => {
    const store = await freshStore();
    const { versionId } = await commitVersion(store, 'v1.0', { a: 'a' }, 'w');
    await expect(store.setRef('tags/v9', 'd'.repeat(64))).rejects.toThrow(MissingObjectError);
    expect(await store.getRef('tags/v9')).toBeUndefined();

    await store.setRef('tags/v1.1', versionId);
    await store.setRef('workspace', versionId);
    expect((await store.listRefs('tags/')).map((r) => r.name)).toEqual(['tags/v1.0', 'tags/v1.1']);
    expect((await store.listRefs()).map((r) => r.name)).toEqual(['HEAD', 'tags/v1.0', 'tags/v1.1', 'workspace']);
    expect(await store.deleteRef('tags/v1.1')).toBe(true);
    expect(await store.deleteRef('tags/v1.1')).toBe(false);
    expect(await store.getRef('tags/v1.1')).toBeUndefined();
    await expect(store.setRef('', versionId)).rejects.toThrow(InvalidObjectError);
    await expect(store.setRef('tags/../HEAD', versionId)).rejects.toThrow(InvalidObjectError);
  });
});

describe('gc', () => {
  test('frees exactly the blobs only the untagged version used', async () => {
    const store = await freshStore();
    const shared = { 'train/cats/1.jpg': 'cat one', 'train/dogs/1.jpg': 'dog one' };
    await commitVersion(store, 'v1.0', { ...shared, 'train/cats/old.jpg': 'only in v1' }, 'weights v1');
    const v2 = await commitVersion(store, 'v2.0', { ...shared, 'train/cats/2.jpg': 'cat two' }, 'weights v2');
    const before = await store.usage();

    expect(await store.gc()).toEqual({ objectsDeleted: 0, blobsDeleted: 0, bytesFreed: 0 });
    expect(await store.usage()).toEqual(before);

    await store.deleteRef('tags/v1.0'); // HEAD points at v2 already
    const result = await store.gc();
    expect(result).toEqual({
      objectsDeleted: 3, // v1's version, dataset and model
      blobsDeleted: 2,
      bytesFreed: 'only in v1'.length + 'weights v1'.length,
    });
    expect(await store.hasBlob(await sha('only in v1'))).toBe(false);
    expect(await store.hasBlob(await sha('cat one'))).toBe(true);
    expect(await store.hasObject(v2.versionId)).toBe(true);
    expect(await store.usage()).toEqual({ blobs: 4, blobBytes: before.blobBytes - result.bytesFreed, objects: 3 });
    expect((await store.verify()).ok).toBe(true);
  });

  test('keeps work in progress it is told about', async () => {
    const store = await freshStore();
    await commitVersion(store, 'v1.0', { a: 'a' }, 'w1');
    const pending = await store.putBlob(utf8Bytes('ingest in progress'));
    const draft = await storeDataset(store, { 'draft.jpg': 'draft' });
    const [draftId] = await store.commit({ objects: [draft] });
    await store.putBlob(utf8Bytes('abandoned'));

    const result = await store.gc({ keepBlobs: [pending.record.sha256], keepObjects: [draftId!] });
    expect(result).toEqual({ objectsDeleted: 0, blobsDeleted: 1, bytesFreed: 'abandoned'.length });
    expect(await store.hasBlob(pending.record.sha256)).toBe(true);
    expect(await store.hasBlob(await sha('draft'))).toBe(true);

    expect(await store.gc()).toMatchObject({ objectsDeleted: 1, blobsDeleted: 2 });
  });

  test('does not follow parents: a parent is history, not ownership', async () => {
    const store = await freshStore();
    const v1 = await commitVersion(store, 'v1.0', { a: 'a' }, 'w1');
    const v2 = await commitVersion(store, 'v2.0', { a: 'a', b: 'b' }, 'w2', v1.versionId);
    await store.deleteRef('tags/v1.0'); // v2 still names v1 as its parent

    expect(await store.gc()).toEqual({ objectsDeleted: 3, blobsDeleted: 1, bytesFreed: 'w1'.length });
    expect(await store.hasObject(v1.versionId)).toBe(false);
    expect(await store.hasObject(v2.versionId)).toBe(true);
    expect(await store.hasBlob(await sha('a'))).toBe(true); // v2's data set still holds it

    const report = await store.verify();
    expect(report.ok).toBe(true);
    expect(report.missingReferences).toEqual([]);
    expect(report.missingParents).toEqual([{ from: v2.versionId, to: v1.versionId }]);
  });

  test('an aborted gc deletes nothing', async () => {
    const store = await freshStore();
    await store.putBlob(utf8Bytes('garbage'));
    await expect(store.gc({ signal: AbortSignal.abort() })).rejects.toThrow(/abort/i);
    expect((await store.usage()).blobs).toBe(1);
  });
});

describe('verify', () => {
  test('a clean store is ok', async () => {
    const store = await freshStore();
    await commitVersion(store, 'v1.0', { a: 'a', b: 'b' }, 'w');
    const progress: { done: number; total: number }[] = [];
    const report = await store.verify({ onProgress: (p) => progress.push(p) });
    expect(report).toEqual({
      ok: true,
      blobsChecked: 3,
      objectsChecked: 3,
      corruptBlobs: [],
      missingBlobData: [],
      corruptObjects: [],
      missingReferences: [],
      danglingRefs: [],
      missingParents: [],
      unreachable: { blobs: 0, objects: 0, packFiles: 0, derivedEntries: 0, bytes: 0, caches: 0 },
    });
    expect(progress.at(-1)).toEqual({ done: 6, total: 6 });
  });

  test('names a blob whose bytes were changed behind its back', async () => {
    const store = await freshStore();
    const { record } = await store.putBlob(utf8Bytes('original'));
    const raw = await rawDb(store);
    await raw.put('blobData', utf8Bytes('tampered').buffer, record.sha256);
    raw.close();
    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.corruptBlobs).toEqual([{ sha256: record.sha256, reason: expect.stringMatching(/hashes to sha256 [0-9a-f]{64}/) }]);
    expect(report.corruptBlobs[0]!.reason).toMatch(/md5/);
  });

  test('reports missing bytes, damaged objects, missing references and dangling refs', async () => {
    const store = await freshStore();
    const { datasetId, versionId } = await commitVersion(store, 'v1.0', { a: 'a', b: 'b' }, 'w');
    const [shaA, shaB] = [await sha('a'), await sha('b')];
    const raw = await rawDb(store);
    await raw.delete('blobData', shaA);
    await raw.delete('blobs', shaB);
    const record = await raw.get('objects', versionId);
    await raw.put('objects', { ...record, json: JSON.stringify({ ...JSON.parse(record.json), message: 'rewritten history' }) });
    await raw.put('refs', { name: 'tags/lost', target: 'c'.repeat(64), updatedAt: 0 });
    raw.close();

    const report = await store.verify();
    expect(report.ok).toBe(false);
    expect(report.missingBlobData).toEqual([shaA]);
    expect(report.missingReferences).toEqual([{ from: datasetId, to: shaB }]);
    expect(report.corruptObjects).toEqual([{ id: versionId, reason: expect.stringMatching(/content hashes to/) }]);
    expect(report.danglingRefs).toEqual([{ name: 'tags/lost', target: 'c'.repeat(64) }]);
  });

  test('checks a dataset against its DVC hash and its files', async () => {
    const store = await freshStore();
    const dataset = await storeDataset(store, { a: 'a' });
    const forged = { ...dataset, dvc: { ...dataset.dvc, nfiles: 7 } };
    const [id] = await store.commit({ objects: [forged] });
    const report = await store.verify();
    expect(report.corruptObjects).toEqual([{ id, reason: expect.stringMatching(/DVC hash .* does not match its files/) }]);
  });
});

describe('damaged data on read', () => {
  test('getObject and getBlob raise CorruptObjectError instead of returning garbage', async () => {
    const store = await freshStore();
    const { datasetId } = await commitVersion(store, 'v1.0', { a: 'a' }, 'weights');
    const weights = await sha('weights');
    const raw = await rawDb(store);
    const record = await raw.get('objects', datasetId);
    await raw.put('objects', { ...record, json: JSON.stringify({ ...JSON.parse(record.json), entries: 'lost' }) });
    await raw.put('blobData', utf8Bytes('weigh').buffer, weights);
    raw.close();

    const objectError = await store.getObject(datasetId).catch((e: unknown) => e);
    expect(objectError).toBeInstanceOf(CorruptObjectError);
    expect(objectError).toMatchObject({ code: 'corrupt', id: datasetId, message: expect.stringMatching(/damaged.*entries must be a list/) });
    await expect(store.getBlobs([await sha('a'), weights])).rejects.toMatchObject({ code: 'corrupt', id: weights });
  });
});

describe('quota exceeded', () => {
  test('becomes a QuotaExceededError and leaves no record without its bytes', async () => {
    const store = await freshStore();
    await store.putBlob(utf8Bytes('already there'));
    failPutsInto('blobs', quotaError); // the record is written after the bytes: fail the second write

    const error = await store.putBlob(utf8Bytes('eleven byte')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuotaExceededError);
    expect(error).toMatchObject({ code: 'quota', bytes: 11 });
    expect((error as Error).message).toMatch(/ran out of storage space while saving 11 B.*Free space/);

    await expect(store.putBlobs([utf8Bytes('one'), utf8Bytes('two')])).rejects.toThrow(QuotaExceededError);
    vi.restoreAllMocks();

    const raw = await rawDb(store);
    expect(await raw.count('blobData')).toBe(1);
    expect(await raw.count('blobs')).toBe(1);
    raw.close();
    expect((await store.verify()).ok).toBe(true);
    expect((await store.putBlob(utf8Bytes('eleven byte'))).stored).toBe(true);
  });

  test('during commit, nothing is written', async () => {
    const store = await freshStore();
    const dataset = await storeDataset(store, { a: 'a' });
    failPutsInto('objects', quotaError);
    await expect(store.commit({ objects: [dataset], refs: new Map([['HEAD', await objectId(dataset)]]) })).rejects.toThrow(QuotaExceededError);
    vi.restoreAllMocks();
    expect((await store.usage()).objects).toBe(0);
    expect(await store.listRefs()).toEqual([]);
  });
});

describe('derived cache', () => {
  test('put, get, list by prefix, delete', async () => {
    const store = await freshStore();
    await store.updateDerived({
      put: [
        ['pixels/abc/64', { width: 64, data: new Float32Array([1, 2]) }],
        ['pixels/def/64', 'def'],
        ['latest/64', 'abc'],
      ],
    });
    expect(await store.getDerived('pixels/abc/64')).toEqual({ width: 64, data: new Float32Array([1, 2]) });
    expect(await store.getDerivedMany(['latest/64', 'nothing', 'pixels/def/64'])).toEqual(['abc', undefined, 'def']);
    expect(await store.derivedKeys('pixels/')).toEqual(['pixels/abc/64', 'pixels/def/64']);
    await store.updateDerived({ put: [['pixels/ghi/64', 'ghi']], delete: ['latest/64', 'pixels/abc/64'] });
    expect(await store.getDerived('latest/64')).toBeUndefined();
    expect(await store.derivedKeys('')).toEqual(['pixels/def/64', 'pixels/ghi/64']);
  });
});
