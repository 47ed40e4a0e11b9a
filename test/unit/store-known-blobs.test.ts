// known-blobs.ts: a connection that has listed the blobs answers "which of these are stored?"
// from memory, and only while no other connection has changed the blobs since.
import { afterEach, describe, expect, test, vi } from 'vitest';
import { hashBytes, utf8Bytes } from '../../src/core/hash';
import { buildDataset, type DatasetEntry } from '../../src/core/objects';
import { MissingObjectError, openStore, Store } from '../../src/core/store';
import type { PackWriter } from '../../src/core/store/packs/pack-writer';
import { writePacked } from '../../src/core/store/write-packed';
import { rejection } from './rejection';

const openStores: Store[] = [];
afterEach(() => {
  openStores.splice(0).forEach((store) => store.close());
  vi.restoreAllMocks();
});

/** Two connections to one new database: two workers or two tabs. */
async function twoConnections(): Promise<[Store, Store]> {
  const name = crypto.randomUUID();
  const stores: [Store, Store] = [await openStore({ name }), await openStore({ name })];
  openStores.push(...stores);
  return stores;
}

const sha = async (text: string) => (await hashBytes(utf8Bytes(text))).sha256;

async function entry(text: string): Promise<DatasetEntry> {
  return { path: `train/pets/${text}.png`, ...(await hashBytes(utf8Bytes(text))), split: 'train', label: 'pets' };
}

/** Counts lookups of blob records by sha256 (the reads the known set saves). */
function countRecordLookups() {
  const index = IDBIndex.prototype;
  const store = IDBObjectStore.prototype;
  const spies = [vi.spyOn(index, 'getKey'), vi.spyOn(index, 'getAllKeys'), vi.spyOn(index, 'count'), vi.spyOn(store, 'getAllKeys'), vi.spyOn(store, 'count')];
  spies.forEach((spy) => spy.mockClear());
  return () => spies.reduce((total, spy) => total + spy.mock.calls.length, 0);
}

const memoryPack = async (): Promise<PackWriter> => ({ file: 'memory.pack', append: () => 0, flush() {}, close() {} });

describe('the known set of blobs', () => {
  test('answers from memory once learned, including after its own writes', async () => {
    const [store] = await twoConnections();
    await store.putBlobs(['cat', 'dog'].map(utf8Bytes));
    await store.warmUpPutBlobs();
    let lookups = countRecordLookups();
    expect(await store.missingBlobs([await sha('cat'), await sha('owl'), await sha('dog')])).toEqual([await sha('owl')]);
    expect(lookups()).toBe(0);

    // putBlobs reads the record of 'cat' (already stored: its record is the result), not that of 'owl'.
    const result = await store.putBlobs(['owl', 'cat'].map(utf8Bytes));
    expect([result.storedCount, result.skippedCount]).toEqual([1, 1]);
    expect(result.records[1]).toEqual(await store.getBlobRecord(await sha('cat')));

    lookups = countRecordLookups();
    expect(await store.missingBlobs([await sha('owl')])).toEqual([]);
    await store.commit({ objects: [await buildDataset('data', [await entry('cat'), await entry('owl')])] });
    expect(lookups()).toBe(0);
  });

  test('learning again reads the records only when another connection changed the blobs', async () => {
    const [mine, other] = await twoConnections();
    await mine.putBlobs(['cat', 'dog'].map(utf8Bytes));
    await mine.warmUpPutBlobs();
    const getAll = vi.spyOn(IDBObjectStore.prototype, 'getAll');
    getAll.mockClear();
    await mine.putBlobs([utf8Bytes('owl')]);
    await mine.warmUpPutBlobs();
    expect(getAll).not.toHaveBeenCalled();
    await other.putBlobs([utf8Bytes('emu')]);
    await mine.warmUpPutBlobs();
    expect(getAll).toHaveBeenCalled();
    expect(await mine.missingBlobs([await sha('emu'), await sha('owl'), await sha('yak')])).toEqual([await sha('yak')]);
  });

  test('stays exact when another connection deletes and adds blobs: it asks the records again', async () => {
    const [mine, other] = await twoConnections();
    await mine.putBlobs(['cat', 'dog'].map(utf8Bytes));
    await mine.warmUpPutBlobs();

    // Another worker collects 'cat' (nothing references it) and stores 'owl'.
    expect((await other.gc({ keepBlobs: [await sha('dog')] })).blobsDeleted).toBe(1);
    await other.putBlobs([utf8Bytes('owl')]);

    const lookups = countRecordLookups();
    expect(await mine.missingBlobs([await sha('cat'), await sha('dog'), await sha('owl')])).toEqual([await sha('cat')]);
    expect(lookups()).toBeGreaterThan(0);
    const dataset = await buildDataset('data', [await entry('cat'), await entry('dog')]);
    expect((await rejection(mine.commit({ objects: [dataset] }), MissingObjectError)).ids).toEqual([await sha('cat')]);
    // Storing 'cat' again really stores it (it is not skipped as known).
    expect((await mine.putBlobs([utf8Bytes('cat')])).storedCount).toBe(1);
    await mine.commit({ objects: [dataset] });
  });

  test('its own gc keeps it current: a collected blob is missing, and stored again when added', async () => {
    const [store] = await twoConnections();
    await store.putBlobs(['cat', 'dog'].map(utf8Bytes));
    await store.warmUpPutBlobs();
    await store.gc({ keepBlobs: [await sha('dog')] });
    const lookups = countRecordLookups();
    expect(await store.missingBlobs([await sha('cat'), await sha('dog')])).toEqual([await sha('cat')]);
    expect(lookups()).toBe(0);
    expect((await store.putBlobs([utf8Bytes('cat')])).storedCount).toBe(1);
  });

  test('pack writes keep it current too, and a pack write by another connection invalidates it', async () => {
    const [mine, other] = await twoConnections();
    await mine.warmUpPutBlobs();
    const prepared = async (text: string) => ({ record: { ...(await hashBytes(utf8Bytes(text))), type: '', storedAt: 1 }, bytes: utf8Bytes(text).slice().buffer });
    await writePacked(Store.databaseOf(mine), memoryPack, [await prepared('cat')]);
    expect(await mine.missingBlobs([await sha('cat')])).toEqual([]);
    await writePacked(Store.databaseOf(other), memoryPack, [await prepared('dog')]);
    const results = await writePacked(Store.databaseOf(mine), memoryPack, [await prepared('dog'), await prepared('owl')]);
    expect(results.map((r) => r.stored)).toEqual([false, true]);
  });
});
