import type { IDBPDatabase, IDBPTransaction } from 'idb';
import { canonicalJson } from '../objects/canonical-json';
import { ownBytes } from './own-bytes';

/**
 * Schema migrations, in order: entry i upgrades the database from version i
 * to i + 1, inside the single versionchange transaction of the open request.
 * A new schema is one more entry here. Migrations see the database untyped,
 * because each one runs against the layout of its own time.
 */
type Migration = (db: IDBPDatabase<unknown>, tx: IDBPTransaction<unknown, string[], 'versionchange'>) => Promise<void>;

/** The first layout: bytes inline in the blob record. */
interface BlobRecordV1 {
  sha256: string;
  md5: string;
  size: number;
  type: string;
  data: ArrayBuffer | ArrayBufferView;
}

/** An object record up to schema 3: the object as a structured value. */
interface ObjectRecordV3 {
  id: string;
  kind: string;
  body: unknown;
}

/** The canonical JSON of an old object; one damaged past encoding is kept as plain JSON, for verify to report. */
function jsonOf(body: unknown): string {
  try {
    return canonicalJson(body);
  } catch {
    try {
      return JSON.stringify(body) ?? 'null';
    } catch {
      return 'null';
    }
  }
}

const MIGRATIONS: readonly Migration[] = [
  async function createStores(db) {
    db.createObjectStore('blobs', { keyPath: 'sha256' });
    db.createObjectStore('objects', { keyPath: 'id' });
    db.createObjectStore('refs', { keyPath: 'name' });
  },

  // v2: bytes move out of the blob records so listing blobs does not load
  // them; the derived cache and a by-kind object index appear.
  async function moveBlobBytesOutOfLine(db, tx) {
    db.createObjectStore('blobData');
    db.createObjectStore('derived');
    tx.objectStore('objects').createIndex('kind', 'kind');
    const blobData = tx.objectStore('blobData');
    const storedAt = Date.now();
    for (let cursor = await tx.objectStore('blobs').openCursor(); cursor; cursor = await cursor.continue()) {
      const { data, ...record } = cursor.value as BlobRecordV1;
      await Promise.all([blobData.put(ownBytes(data), record.sha256), cursor.update({ ...record, storedAt })]);
    }
  },

  // v3: records of pack-written blobs are stored in groups (one value per
  // ~64 blobs, found through a multi-entry index on their sha256). Records
  // already in `blobs` stay there and stay readable: readers look in both.
  async function groupBlobRecords(db) {
    db.createObjectStore('blobGroups', { keyPath: 'id', autoIncrement: true }).createIndex('sha256', 'shas', { multiEntry: true, unique: true });
  },

  // v4: a token that changes with every write of blob records, so a
  // connection can tell that the set of blobs it knows is still current
  // (known-blobs.ts) without reading the records. The group index stops
  // checking uniqueness: a check per blob written (~3 ms per 1 000), and
  // writePacked already writes only blobs it found absent, under the store lock.
  // Objects are stored as their canonical JSON text (schema.ts, ObjectRecord).
  async function addMetaRelaxGroupIndexObjectsAsJson(db, tx) {
    db.createObjectStore('meta');
    const groups = tx.objectStore('blobGroups');
    groups.deleteIndex('sha256');
    groups.createIndex('sha256', 'shas', { multiEntry: true });
    for (let cursor = await tx.objectStore('objects').openCursor(); cursor; cursor = await cursor.continue()) {
      const { id, kind, body } = cursor.value as ObjectRecordV3;
      await cursor.update({ id, kind, json: jsonOf(body) });
    }
  },

  // v5: the experiment queue and its results' records (core/experiments),
  // mutable as runs move from queued to done; the results themselves are
  // versions, kept by refs like everything else.
  async function addExperiments(db) {
    db.createObjectStore('experiments', { keyPath: 'id' });
  },
];

export const SCHEMA_VERSION = MIGRATIONS.length;

export async function migrate(
  db: IDBPDatabase<unknown>,
  oldVersion: number,
  tx: IDBPTransaction<unknown, string[], 'versionchange'>,
): Promise<void> {
  for (const migration of MIGRATIONS.slice(oldVersion)) await migration(db, tx);
}
