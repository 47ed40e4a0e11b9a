import { openDB } from 'idb';
import { describe, expect, test } from 'vitest';
import { hashBytes, utf8Bytes } from '../../src/core/hash';
import { buildDataset, canonicalJson, objectId } from '../../src/core/objects';
import { SCHEMA_VERSION, SchemaError, Store, openStore } from '../../src/core/store';

/** Writes a database the way the first release (schema 1) did: blob bytes inline in the record. */
async function createV1Database(name: string, blobs: { text: string; view?: boolean }[], extra?: (db: Awaited<ReturnType<typeof openDB>>) => Promise<void>) {
  const db = await openDB(name, 1, {
    upgrade(db) {
      db.createObjectStore('blobs', { keyPath: 'sha256' });
      db.createObjectStore('objects', { keyPath: 'id' });
      db.createObjectStore('refs', { keyPath: 'name' });
    },
  });
  const records = [];
  for (const { text, view } of blobs) {
    const bytes = utf8Bytes(text);
    const hashes = await hashBytes(bytes);
    const data = view ? new Uint8Array(utf8Bytes(`__${text}__`).buffer, 2, bytes.length) : bytes.buffer;
    records.push({ ...hashes, type: 'image/jpeg', data });
  }
  for (const record of records) await db.put('blobs', record);
  await extra?.(db);
  db.close();
  return records;
}

describe('schema upgrade', () => {
  test('a new database starts at the current version', async () => {
    const store = await openStore({ name: crypto.randomUUID() });
    expect(SCHEMA_VERSION).toBe(5);
    expect(Store.databaseOf(store).version).toBe(5);
    expect([...Store.databaseOf(store).objectStoreNames].sort()).toEqual(['blobData', 'blobGroups', 'blobs', 'derived', 'experiments', 'meta', 'objects', 'refs']);
    store.close();
  });

  test('v1 → v5 keeps blobs, objects and refs intact', async () => {
    const name = crypto.randomUUID();
    const texts = ['cat one', 'dog one'];
    let datasetId = '';
    const records = await createV1Database(name, [{ text: texts[0]! }, { text: texts[1]!, view: true }], async (db) => {
      const hashes = await Promise.all(texts.map((t) => hashBytes(utf8Bytes(t))));
      const dataset = await buildDataset(
        'data',
        hashes.map((h, i) => ({ path: `train/${i}.jpg`, ...h, split: 'train' as const, label: 'pets' })),
      );
      datasetId = await objectId(dataset);
      await db.put('objects', { id: datasetId, kind: 'dataset', body: dataset });
      await db.put('refs', { name: 'workspace', target: datasetId, updatedAt: 1 });
    });

    const store = await openStore({ name });
    expect(Store.databaseOf(store).version).toBe(5);
    for (const [i, { sha256, md5, size }] of records.entries()) {
      const record = await store.getBlobRecord(sha256);
      expect(record).toEqual({ sha256, md5, size, type: 'image/jpeg', storedAt: expect.any(Number) });
      expect(record).not.toHaveProperty('data');
      const blob = await store.getBlob(sha256);
      expect(await blob.text()).toBe(texts[i]);
      expect(blob.type).toBe('image/jpeg');
    }
    expect(await store.getRef('workspace')).toBe(datasetId);
    expect((await store.getObject(datasetId)).kind).toBe('dataset');
    expect((await store.listObjects('dataset')).map((r) => r.id)).toEqual([datasetId]);
    expect(await store.usage()).toEqual({ blobs: 2, blobBytes: 14, objects: 1 });
    expect((await store.verify()).ok).toBe(true);
    store.close();

    // Reopening at the current version runs no migration again.
    const again = await openStore({ name });
    expect(await (await again.getBlob(records[0]!.sha256)).text()).toBe('cat one');
    again.close();
  });

  test('v2 → v4 keeps every blob record (inline and packed) where it was, readable, and new pack records go into groups', async () => {
    const name = crypto.randomUUID();
    const inline = await hashBytes(utf8Bytes('cat one'));
    const packed = await hashBytes(utf8Bytes('dog one'));
    const packRecord = { ...packed, type: 'image/png', storedAt: 2, pack: { file: 'old.pack', offset: 40 } };
    const v2 = await openDB(name, 2, {
      upgrade(db) {
        db.createObjectStore('blobs', { keyPath: 'sha256' });
        db.createObjectStore('objects', { keyPath: 'id' }).createIndex('kind', 'kind');
        db.createObjectStore('refs', { keyPath: 'name' });
        db.createObjectStore('blobData');
        db.createObjectStore('derived');
      },
    });
    await v2.put('blobs', { ...inline, type: 'image/jpeg', storedAt: 1 });
    await v2.put('blobData', utf8Bytes('cat one').buffer, inline.sha256);
    await v2.put('blobs', packRecord);
    const dataset = await buildDataset('data', [
      { path: 'train/pets/cat.jpg', ...inline, split: 'train', label: 'pets' },
      { path: 'train/pets/dog.png', ...packed, split: 'train', label: 'pets' },
    ]);
    const datasetId = await objectId(dataset);
    await v2.put('objects', { id: datasetId, kind: 'dataset', body: dataset });
    await v2.put('refs', { name: 'workspace', target: datasetId, updatedAt: 1 });
    v2.close();

    const store = await openStore({ name });
    expect(Store.databaseOf(store).version).toBe(5);
    expect(await store.getBlobRecord(inline.sha256)).toEqual({ ...inline, type: 'image/jpeg', storedAt: 1 });
    expect(await store.getBlobRecord(packed.sha256)).toEqual(packRecord);
    expect(await (await store.getBlob(inline.sha256)).text()).toBe('cat one');
    expect(await store.hasBlob(packed.sha256)).toBe(true);
    const absent = (await hashBytes(utf8Bytes('owl'))).sha256;
    expect(await store.missingBlobs([packed.sha256, absent, inline.sha256])).toEqual([absent]);
    expect(await store.usage()).toEqual({ blobs: 2, blobBytes: 14, objects: 1 });
    // commit's presence check sees both old records.
    await store.commit({ objects: [dataset], refs: new Map([['other', datasetId]]) });
    // gc keeps what the workspace reaches.
    expect(await store.gc()).toEqual({ objectsDeleted: 0, blobsDeleted: 0, bytesFreed: 0 });
    expect(await Store.databaseOf(store).count('blobs')).toBe(2);
    expect(await Store.databaseOf(store).count('blobGroups')).toBe(0);
    // v4: objects are stored as their canonical JSON text.
    expect(await Store.databaseOf(store).get('objects', datasetId)).toEqual({ id: datasetId, kind: 'dataset', json: canonicalJson(dataset) });
    // v4: the group index no longer checks uniqueness (writePacked writes only absent blobs).
    const index = Store.databaseOf(store).transaction('blobGroups').store.index('sha256');
    expect([index.multiEntry, index.unique]).toEqual([true, false]);
    store.close();
  });

  test('a failing upgrade is a SchemaError and leaves the v1 data untouched', async () => {
    const name = crypto.randomUUID();
    await createV1Database(name, [{ text: 'fine' }], async (db) => {
      await db.put('blobs', { sha256: 'f'.repeat(64), md5: 'f'.repeat(32), size: 3, type: '', data: 'not bytes' });
    });
    await expect(openStore({ name })).rejects.toThrow(SchemaError);

    const raw = await openDB(name);
    expect(raw.version).toBe(1);
    expect([...raw.objectStoreNames].sort()).toEqual(['blobs', 'objects', 'refs']);
    expect(await raw.count('blobs')).toBe(2);
    expect((await raw.getAll('blobs')).every((record) => 'data' in record)).toBe(true);
    raw.close();
  });

  test('a database from a newer Pawprint is refused with a SchemaError', async () => {
    const name = crypto.randomUUID();
    (await openDB(name, SCHEMA_VERSION + 1)).close();
    const error = await openStore({ name }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SchemaError);
    expect(error).toMatchObject({ code: 'schema', message: expect.stringMatching(/newer version of Pawprint/) });
  });
});
