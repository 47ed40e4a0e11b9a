// The pack path of putBlobs (bytes in pack files, records in IndexedDB), with an in-memory
// pack writer: Node has no OPFS. The OPFS writer and reader run in the browser tests.
import { afterEach, describe, expect, test } from 'vitest';
import { hashBytes, utf8Bytes } from '../../src/core/hash';
import { buildDataset, objectId } from '../../src/core/objects';
import { openStore, QuotaExceededError, Store } from '../../src/core/store';
import type { PackWriter } from '../../src/core/store/packs/pack-writer';
import { presentKeys } from '../../src/core/store/present-keys';
import type { PreparedBlob } from '../../src/core/store/put-blobs';
import { writePacked } from '../../src/core/store/write-packed';

const openStores: Store[] = [];
afterEach(() => openStores.splice(0).forEach((store) => store.close()));

async function freshStore(): Promise<Store> {
  const store = await openStore({ name: crypto.randomUUID() });
  openStores.push(store);
  return store;
}

async function prepared(text: string): Promise<PreparedBlob> {
  const bytes = utf8Bytes(text);
  return { record: { ...(await hashBytes(bytes)), type: '', storedAt: 1 }, bytes: bytes.slice().buffer };
}

/** A pack in memory; `recordsAtFlush` is how many blob records the store held when flush was called. */
function memoryPack(store: Store, fail?: { append?: () => Error; flush?: () => Error }) {
  const pack = { opened: 0, bytes: [] as number[], flushes: 0, recordsAtFlush: [] as number[] };
  const open = async (): Promise<PackWriter> => {
    pack.opened++;
    return {
      file: 'memory.pack',
      append(bytes) {
        if (fail?.append) throw fail.append();
        const offset = pack.bytes.length;
        pack.bytes.push(...bytes);
        return offset;
      },
      flush() {
        if (fail?.flush) throw fail.flush();
        pack.flushes++;
        void store.usage().then(({ blobs }) => pack.recordsAtFlush.push(blobs));
      },
      close() {},
    };
  };
  return { pack, open };
}

const quotaError = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

describe('writePacked', () => {
  test('appends each new blob once, flushes, then records pack file and offset', async () => {
    const store = await freshStore();
    const { pack, open } = memoryPack(store);
    const batch = await Promise.all(['cat', 'dog', 'cat'].map(prepared));
    const results = await writePacked(Store.databaseOf(store), open, batch);

    expect(results.map((r) => r.stored)).toEqual([true, true, false]);
    expect(String.fromCharCode(...pack.bytes)).toBe('catdog');
    expect(pack.flushes).toBe(1);
    expect(pack.recordsAtFlush).toEqual([0]);
    const dog = await store.getBlobRecord(batch[1]!.record.sha256);
    expect(dog).toEqual({ ...batch[1]!.record, pack: { file: 'memory.pack', offset: 3 } });
    expect(await store.usage()).toEqual({ blobs: 2, blobBytes: 6, objects: 0 });
  });

  test('small blobs are joined into one write, a large one is written as it is; every offset is right', async () => {
    const store = await freshStore();
    const { pack, open } = memoryPack(store);
    const big = new Uint8Array(66_000).map((_, i) => i & 0xff);
    const bigPrepared: PreparedBlob = { record: { ...(await hashBytes(big)), type: '', storedAt: 1 }, bytes: big.slice().buffer };
    const batch = [await prepared('ab'), bigPrepared, await prepared('cde'), await prepared('f')];
    const results = await writePacked(Store.databaseOf(store), open, batch);
    expect(results.map((r) => r.record.pack?.offset)).toEqual([0, 2, 66_002, 66_005]);
    expect(pack.bytes.length).toBe(66_006);
    expect(pack.bytes.slice(2, 66_002)).toEqual([...big]);
    expect(String.fromCharCode(...pack.bytes.slice(66_002))).toBe('cdef');
  });

  test('blobs already stored are neither appended nor recorded again, and open no pack', async () => {
    const store = await freshStore();
    const first = memoryPack(store);
    await writePacked(Store.databaseOf(store), first.open, await Promise.all(['cat', 'dog'].map(prepared)));
    await store.putBlob(utf8Bytes('owl')); // in blobData, the other layout

    const again = memoryPack(store);
    const results = await writePacked(Store.databaseOf(store), again.open, await Promise.all(['dog', 'owl', 'cat'].map(prepared)));
    expect(results.map((r) => r.stored)).toEqual([false, false, false]);
    expect(results[0]!.record.pack).toEqual({ file: 'memory.pack', offset: 3 });
    expect(again.pack.opened).toBe(0);
    expect(await store.usage()).toEqual({ blobs: 3, blobBytes: 9, objects: 0 });
  });

  test('a quota error while appending becomes QuotaExceededError and records nothing', async () => {
    const store = await freshStore();
    const { open } = memoryPack(store, { append: quotaError });
    await expect(writePacked(Store.databaseOf(store), open, [await prepared('cat')])).rejects.toBeInstanceOf(QuotaExceededError);
    expect(await store.usage()).toEqual({ blobs: 0, blobBytes: 0, objects: 0 });
  });

  test('a failed flush records nothing: no record ever points at bytes that may be lost', async () => {
    const store = await freshStore();
    const { open } = memoryPack(store, { flush: () => new Error('disk gone') });
    await expect(writePacked(Store.databaseOf(store), open, [await prepared('cat')])).rejects.toThrow('disk gone');
    expect(await store.usage()).toEqual({ blobs: 0, blobBytes: 0, objects: 0 });
  });
});

describe('grouped blob records (schema 3)', () => {
  const texts = (n: number, tag: string) => Array.from({ length: n }, (_, i) => `${tag} ${i}`);

  test('pack records are written 64 to a group, and every reader finds them', async () => {
    const store = await freshStore();
    const { open } = memoryPack(store);
    const batch = await Promise.all(texts(150, 'img').map(prepared));
    const results = await writePacked(Store.databaseOf(store), open, batch);
    expect(results.every((r) => r.stored)).toBe(true);
    expect(await Store.databaseOf(store).count('blobGroups')).toBe(3);
    expect((await Store.databaseOf(store).getAll('blobGroups')).map((group) => group.records.length)).toEqual([64, 64, 22]);
    expect(await Store.databaseOf(store).count('blobs')).toBe(0);

    const shas = batch.map(({ record }) => record.sha256);
    const absent = (await prepared('not stored')).record.sha256;
    expect(await store.hasBlob(shas[149]!)).toBe(true);
    expect(await store.hasBlob(absent)).toBe(false);
    expect(await store.getBlobRecord(shas[70]!)).toEqual(results[70]!.record);
    expect(await store.missingBlobs([absent, ...shas, absent])).toEqual([absent]);
    const bytes = batch.reduce((sum, { record }) => sum + record.size, 0);
    expect(await store.usage()).toEqual({ blobs: 150, blobBytes: bytes, objects: 0 });

    // Many more stored than asked for: the per-key lookups find them too.
    expect(await store.missingBlobs([shas[3]!, absent])).toEqual([absent]);
    // A second batch with old and new blobs records only the new ones.
    const again = await writePacked(Store.databaseOf(store), open, await Promise.all([...texts(10, 'img'), ...texts(5, 'new')].map(prepared)));
    expect(again.map((r) => r.stored)).toEqual([...Array(10).fill(false), ...Array(5).fill(true)]);
    expect(await store.usage()).toMatchObject({ blobs: 155 });
  });

  test("commit's presence check and gc work on grouped records", async () => {
    const store = await freshStore();
    const { open } = memoryPack(store);
    const batch = await Promise.all(texts(100, 'img').map(prepared));
    await writePacked(Store.databaseOf(store), open, batch);
    const entries = batch.slice(0, 70).map(({ record }, i) => ({ path: `train/pets/${i}.png`, sha256: record.sha256, md5: record.md5, size: record.size, split: 'train' as const, label: 'pets' }));
    const dataset = await buildDataset('data', entries);
    const [id] = await store.commit({ objects: [dataset], refs: new Map([['workspace', await objectId(dataset)]]) });

    const missing = (await prepared('never stored')).record;
    const broken = await buildDataset('data', [...entries, { path: 'train/pets/x.png', sha256: missing.sha256, md5: missing.md5, size: missing.size, split: 'train', label: 'pets' }]);
    await expect(store.commit({ objects: [broken] })).rejects.toMatchObject({ ids: [missing.sha256] });

    // 30 dead blobs: the first group (64 live) stays, the second loses its dead records.
    const freed = batch.slice(70).reduce((sum, { record }) => sum + record.size, 0);
    expect(await store.gc()).toEqual({ objectsDeleted: 0, blobsDeleted: 30, bytesFreed: freed });
    expect((await Store.databaseOf(store).getAll('blobGroups')).map((group) => [group.records.length, group.shas.length])).toEqual([
      [64, 64],
      [6, 6],
    ]);
    expect(await store.missingBlobs(batch.map(({ record }) => record.sha256))).toEqual(batch.slice(70).map(({ record }) => record.sha256));
    expect(await store.usage()).toMatchObject({ blobs: 70, objects: 1 });

    // Nothing referenced: every group goes.
    await store.deleteRef('workspace');
    expect(await store.gc()).toMatchObject({ objectsDeleted: 1, blobsDeleted: 70 });
    expect(await Store.databaseOf(store).count('blobGroups')).toBe(0);
    expect(id).toBe(await objectId(dataset));
  });

  test('a record in blobs whose bytes went missing is replaced by a grouped one, never kept beside it', async () => {
    const store = await freshStore();
    await store.putBlob(utf8Bytes('cat'));
    const cat = await prepared('cat');
    await Store.databaseOf(store).delete('blobData', cat.record.sha256);
    const { open } = memoryPack(store);
    const [result] = await writePacked(Store.databaseOf(store), open, [cat]);
    expect(result!.stored).toBe(true);
    expect(await Store.databaseOf(store).count('blobs')).toBe(0);
    expect(await store.getBlobRecord(cat.record.sha256)).toEqual({ ...cat.record, pack: { file: 'memory.pack', offset: 0 } });
    expect(await store.usage()).toEqual({ blobs: 1, blobBytes: 3, objects: 0 });
  });
});

describe('presentKeys', () => {
  test('finds the stored keys whether the store holds few or many others in their range', async () => {
    const store = await freshStore();
    const { records } = await store.putBlobs(['a', 'b', 'c'].map((text) => utf8Bytes(text)));
    const stored = records.map((record) => record.sha256);
    const absent = [(await hashBytes(utf8Bytes('zz'))).sha256];
    const lookup = () => presentKeys(Store.databaseOf(store).transaction('blobs').store, [...stored.slice(0, 2), ...absent]);
    expect(await lookup()).toEqual(new Set(stored.slice(0, 2)));
    // Many more keys than asked for (most likely in their range too).
    await store.putBlobs(Array.from({ length: 40 }, (_, i) => utf8Bytes(`filler ${i}`)));
    expect(await lookup()).toEqual(new Set(stored.slice(0, 2)));
    expect(await presentKeys(Store.databaseOf(store).transaction('blobs').store, [])).toEqual(new Set());
  });
});
