// The pack path of putBlobs (bytes in pack files, records in IndexedDB), with an in-memory
// pack writer: Node has no OPFS. The OPFS writer and reader run in the browser tests.
import { afterEach, describe, expect, test } from 'vitest';
import { hashBytes, utf8Bytes } from '../../src/core/hash';
import { openStore, QuotaExceededError, type Store } from '../../src/core/store';
import type { PackWriter } from '../../src/core/store/packs/packWriter';
import { presentKeys } from '../../src/core/store/presentKeys';
import type { PreparedBlob } from '../../src/core/store/putBlobs';
import { writePacked } from '../../src/core/store/writePacked';

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
    const results = await writePacked(store.db, open, batch);

    expect(results.map((r) => r.stored)).toEqual([true, true, false]);
    expect(String.fromCharCode(...pack.bytes)).toBe('catdog');
    expect(pack.flushes).toBe(1);
    expect(pack.recordsAtFlush).toEqual([0]);
    const dog = await store.getBlobRecord(batch[1]!.record.sha256);
    expect(dog).toEqual({ ...batch[1]!.record, pack: { file: 'memory.pack', offset: 3 } });
    expect(await store.usage()).toEqual({ blobs: 2, blobBytes: 6, objects: 0 });
  });

  test('blobs already stored are neither appended nor recorded again, and open no pack', async () => {
    const store = await freshStore();
    const first = memoryPack(store);
    await writePacked(store.db, first.open, await Promise.all(['cat', 'dog'].map(prepared)));
    await store.putBlob(utf8Bytes('owl')); // in blobData, the other layout

    const again = memoryPack(store);
    const results = await writePacked(store.db, again.open, await Promise.all(['dog', 'owl', 'cat'].map(prepared)));
    expect(results.map((r) => r.stored)).toEqual([false, false, false]);
    expect(results[0]!.record.pack).toEqual({ file: 'memory.pack', offset: 3 });
    expect(again.pack.opened).toBe(0);
    expect(await store.usage()).toEqual({ blobs: 3, blobBytes: 9, objects: 0 });
  });

  test('a quota error while appending becomes QuotaExceededError and records nothing', async () => {
    const store = await freshStore();
    const { open } = memoryPack(store, { append: quotaError });
    await expect(writePacked(store.db, open, [await prepared('cat')])).rejects.toBeInstanceOf(QuotaExceededError);
    expect(await store.usage()).toEqual({ blobs: 0, blobBytes: 0, objects: 0 });
  });

  test('a failed flush records nothing: no record ever points at bytes that may be lost', async () => {
    const store = await freshStore();
    const { open } = memoryPack(store, { flush: () => new Error('disk gone') });
    await expect(writePacked(store.db, open, [await prepared('cat')])).rejects.toThrow('disk gone');
    expect(await store.usage()).toEqual({ blobs: 0, blobBytes: 0, objects: 0 });
  });
});

describe('presentKeys', () => {
  test('finds the stored keys whether the store holds few or many others in their range', async () => {
    const store = await freshStore();
    const { records } = await store.putBlobs(['a', 'b', 'c'].map((text) => utf8Bytes(text)));
    const stored = records.map((record) => record.sha256);
    const absent = [(await hashBytes(utf8Bytes('zz'))).sha256];
    const lookup = () => presentKeys(store.db.transaction('blobs').store, [...stored.slice(0, 2), ...absent]);
    expect(await lookup()).toEqual(new Set(stored.slice(0, 2)));
    // Many more keys than asked for (most likely in their range too).
    await store.putBlobs(Array.from({ length: 40 }, (_, i) => utf8Bytes(`filler ${i}`)));
    expect(await lookup()).toEqual(new Set(stored.slice(0, 2)));
    expect(await presentKeys(store.db.transaction('blobs').store, [])).toEqual(new Set());
  });
});
