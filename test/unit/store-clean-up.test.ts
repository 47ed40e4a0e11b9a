// Clean up and taking back what failed imports stored, on the pack path: opfs-mock gives Node an
// in-memory OPFS with sync access handles, so blob bytes go to pack files as in a browser worker.
import 'opfs-mock';
import { afterEach, beforeAll, describe, expect, test, vi } from 'vitest';
import { addToWorkspace } from '../../src/core/dataset/add-to-workspace';
import { previewIngest } from '../../src/core/dataset/ingest';
import { editWorkspace, readWorkspace, writeWorkspace } from '../../src/core/dataset/workspace';
import { removePaths } from '../../src/core/dataset/edit';
import { hashBytes, utf8Bytes } from '../../src/core/hash';
import { openStore, QuotaExceededError, type Store } from '../../src/core/store';
import { packDirectory } from '../../src/core/store/packs/directory';
import { listPackFolder } from '../../src/core/store/packs/pack-files';
import { tutorialZip } from './dataset-fixtures';
import { rejection } from './rejection';

beforeAll(() => {
  // canWritePacks() asks for the class; opfs-mock makes the handles themselves.
  (globalThis as { FileSystemSyncAccessHandle?: unknown }).FileSystemSyncAccessHandle ??= class {};
});

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

const packBytes = async (store: Store) => [...(await listPackFolder(store.name)).values()].reduce((a, b) => a + b, 0);
const quota = () => new DOMException('The quota has been exceeded.', 'QuotaExceededError');

/** Every blob of the workspace reads back with its own bytes. */
async function expectWorkspaceIntact(store: Store): Promise<void> {
  const { dataset } = await readWorkspace(store);
  const blobs = await store.getBlobs(dataset!.entries.map((entry) => entry.sha256));
  for (const entry of dataset!.entries) expect((await hashBytes(await blobs.get(entry.sha256)!.arrayBuffer())).sha256, entry.path).toBe(entry.sha256);
  expect((await store.verify()).ok).toBe(true);
}

describe('a failed or cancelled import takes back what it stored', () => {
  test('quota on the second batch of records: the first batch and the pack file go too', async () => {
    const store = await freshStore();
    await addToWorkspace(store, await previewIngest([tutorialZip('v1', { 'train/cats': 3, 'train/dogs': 3 })]), {});
    const before = { usage: await store.usage(), packs: await packBytes(store) };
    const add = IDBObjectStore.prototype.add;
    let groups = 0;
    vi.spyOn(IDBObjectStore.prototype, 'add').mockImplementation(function (this: IDBObjectStore, ...args) {
      // A batch is 4 096 files, 64 records a group: the second batch's first group fails.
      if (this.name === 'blobGroups' && ++groups > 64) throw quota();
      return add.apply(this, args);
    });
    const big = await previewIngest([tutorialZip('big', { 'train/cats': 2500, 'train/dogs': 2500 })]);
    const error = await rejection(addToWorkspace(store, big, {}), QuotaExceededError);
    expect(error.message).toMatch(
      /^The browser ran out of storage space while storing the files of this import, after 4 096 files \([\d.]+ [KM]B\) of 5 000 files\. Nothing was added to the data set, and the files this import stored were removed again: the data set and every version are as they were\./,
    );
    vi.restoreAllMocks();
    expect({ usage: await store.usage(), packs: await packBytes(store) }).toEqual(before);
    expect((await store.unreachable()).bytes).toBe(0);
    await expectWorkspaceIntact(store);
  });

  test('a data set that cannot be committed (quota on its record): the files stored for it go', async () => {
    const store = await freshStore();
    const before = { usage: await store.usage(), packs: await packBytes(store) };
    const put = IDBObjectStore.prototype.put;
    vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(function (this: IDBObjectStore, ...args) {
      if (this.name === 'objects') throw quota();
      return put.apply(this, args);
    });
    const error = await rejection(addToWorkspace(store, await previewIngest([tutorialZip('v1', { 'train/cats': 5 })]), {}), QuotaExceededError);
    expect(error.message).toMatch(/while saving the new data set record, once every file was stored\. Nothing was added/);
    vi.restoreAllMocks();
    expect({ usage: await store.usage(), packs: await packBytes(store) }).toEqual(before);
  });

  test('cancelled while storing: nothing stays', async () => {
    const store = await freshStore();
    const controller = new AbortController();
    const preview = await previewIngest([tutorialZip('v1', { 'train/cats': 5000 })]);
    await expect(
      addToWorkspace(store, preview, {}, { signal: controller.signal, onProgress: ({ done }) => done > 0 && controller.abort() }),
    ).rejects.toThrow();
    expect(await store.usage()).toEqual({ blobs: 0, blobBytes: 0, objects: 0 });
    expect(await packBytes(store)).toBe(0);
  });
});

describe('Clean up', () => {
  test('frees what nothing reaches (blobs, a dead tail, dead blobs between live ones, stale derived values, a leftover folder); keeps every live byte', async () => {
    const store = await freshStore();
    // Live: a data set of 6 files in pack A, then 3 of them removed (holes in the middle of pack A).
    await addToWorkspace(store, await previewIngest([tutorialZip('v1', { 'train/cats': 3, 'train/dogs': 3 })]), {});
    const first = (await readWorkspace(store)).dataset!;
    const removed = first.entries.filter((_, i) => i % 2 === 0);
    await editWorkspace(store, (entries) => removePaths(entries, removed.map((entry) => entry.path)));
    const live = (await readWorkspace(store)).dataset!;
    // Interrupted work: blobs stored by an import that never committed (a killed tab).
    const orphans = await store.putBlobs(['orphan one', 'orphan two'].map(utf8Bytes));
    // A dead tail: bytes flushed to the live pack B after its last recorded blob, then a crash.
    await addToWorkspace(store, await previewIngest([tutorialZip('v2', { 'train/birds': 2 })]), {});
    const packB = (await store.getBlobRecord((await readWorkspace(store)).dataset!.entries.find((entry) => entry.label === 'birds')!.sha256))!.pack!.file;
    const handle = await (await (await packDirectory(store.name)).getFileHandle(packB)).createSyncAccessHandle();
    handle.write(new Uint8Array(1000).fill(7), { at: handle.getSize() });
    handle.close();
    // Derived values: one of a data set gone, one of a live one, one naming nothing.
    const workspaceId = (await readWorkspace(store)).id!;
    await store.updateDerived({
      put: [
        [`pixels/64/${'e'.repeat(64)}`, { pixels: new Uint8Array(5000) }],
        [`pixels/64/${workspaceId}`, { pixels: new Uint8Array(300) }],
        ['pixels/64/latest', workspaceId],
      ],
    });
    // An OPFS leftover: the pack folder of a database that no longer exists.
    const leftover = await (await navigator.storage.getDirectory()).getDirectoryHandle('deleted-store.packs', { create: true });
    const file = await (await leftover.getFileHandle('x.pack', { create: true })).createSyncAccessHandle();
    file.write(new Uint8Array(2000));
    file.close();

    const removedBytes = removed.reduce((total, entry) => total + entry.size, 0);
    const expected = removedBytes + orphans.bytesStored + 1000 + 2000;
    const found = await store.unreachable();
    expect(found).toMatchObject({ blobs: removed.length + 2, packFiles: 1, derivedEntries: 1 });
    expect(found.bytes).toBeGreaterThanOrEqual(expected + 5000); // + the dead data sets' records and the stale cache entry's key
    expect(found.caches).toBe(3);
    const verified = await store.verify();
    expect(verified.ok, 'unreachable bytes are a finding, not damage').toBe(true);
    expect(verified.unreachable).toEqual(found);

    const result = await store.cleanUp();
    expect(result.bytesFreed).toBe(found.bytes);
    expect(result).toMatchObject({ blobsDeleted: removed.length + 2, packFilesDeleted: 1, derivedDeleted: 1, packFilesInUse: 0 });
    expect(await store.unreachable()).toMatchObject({ bytes: 0, blobs: 0, packFiles: 0, derivedEntries: 0 });
    const liveBytes = (await readWorkspace(store)).dataset!.entries.reduce((total, entry) => total + entry.size, 0);
    expect(await packBytes(store), 'the pack folder holds exactly the live bytes').toBe(liveBytes);
    expect(live.entries.length).toBe(3);
    await expectWorkspaceIntact(store);
    expect(await store.getDerived(`pixels/64/${workspaceId}`)).toBeDefined();
    expect(await store.getDerived('pixels/64/latest')).toBe(workspaceId);
    expect(await rejection((await navigator.storage.getDirectory()).getDirectoryHandle('deleted-store.packs'), DOMException)).toMatchObject({ name: 'NotFoundError' });

    // Dropping the caches is a separate choice.
    const withCaches = await store.cleanUp({ dropCaches: true });
    expect(withCaches).toMatchObject({ derivedDeleted: 2, blobsDeleted: 0 });
    expect(await store.getDerived(`pixels/64/${workspaceId}`)).toBeUndefined();
    await expectWorkspaceIntact(store);
  });
});

describe('work another tab has in progress', () => {
  test('the start-up check and Clean up wait for an import holding the store lock, then find nothing of it', async () => {
    const store = await freshStore();
    const otherTab = await openStore({ name: store.name });
    openStores.push(otherTab);
    let filesStored!: () => void;
    const stored = new Promise<void>((resolve) => (filesStored = resolve));
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const events: string[] = [];
    // The other tab's import between its files (in a pack, unreferenced) and the data set naming them.
    const importing = otherTab.underLock(async (locked) => {
      const put = await locked.putBlobs(['cat one', 'cat two', 'cat three'].map(utf8Bytes));
      filesStored();
      await gate;
      await writeWorkspace(locked, put.records.map((record, i) => ({ path: `train/cats/${i}.png`, sha256: record.sha256, md5: record.md5, size: record.size, split: 'train' as const, label: 'cats' })));
      events.push('import committed');
    });
    await stored;
    const found = store.unreachable().then((summary) => (events.push('start-up check'), summary));
    const cleaned = store.cleanUp().then((result) => (events.push('Clean up'), result));
    // Without the lock both would be done long before this (in-memory stores): give them the chance.
    await Promise.race([cleaned, new Promise((resolve) => setTimeout(resolve, 200))]);
    release();
    await importing;
    expect(await found, 'the files in progress are not unused data').toMatchObject({ bytes: 0, blobs: 0, packFiles: 0 });
    expect(await cleaned).toMatchObject({ bytesFreed: 0, blobsDeleted: 0, packFilesDeleted: 0 });
    expect(events).toEqual(['import committed', 'start-up check', 'Clean up']);
    expect((await readWorkspace(store)).dataset!.entries).toHaveLength(3);
    await expectWorkspaceIntact(store);
  });
});

describe('Verify on packs', () => {
  test('reads each pack front to back and names a blob whose bytes changed in its pack, or whose pack is gone', async () => {
    const store = await freshStore();
    await addToWorkspace(store, await previewIngest([tutorialZip('v1', { 'train/cats': 300, 'train/dogs': 300 })]), {});
    const { dataset } = await readWorkspace(store);
    const victim = (await store.getBlobRecord(dataset!.entries[123]!.sha256))!;
    const progress: number[] = [];
    expect((await store.verify({ onProgress: ({ done }) => progress.push(done) })).ok).toBe(true);
    expect(progress.at(-1)).toBe(600 + 1);

    const handle = await (await (await packDirectory(store.name)).getFileHandle(victim.pack!.file)).createSyncAccessHandle();
    handle.write(new Uint8Array([0xff ^ (await store.getBlob(victim.sha256).then(async (blob) => new Uint8Array(await blob.arrayBuffer())[0]!))]), { at: victim.pack!.offset });
    handle.close();
    const damaged = await store.verify();
    expect(damaged.ok).toBe(false);
    expect(damaged.corruptBlobs).toEqual([{ sha256: victim.sha256, reason: expect.stringMatching(/^content hashes to sha256 /) }]);

    await (await packDirectory(store.name)).removeEntry(victim.pack!.file);
    const gone = await store.verify();
    expect(gone.missingBlobData).toHaveLength(600);
    expect(gone.blobsChecked).toBe(600);
  });
});
