import type { DBSchema, IDBPDatabase, IDBPTransaction, StoreNames } from 'idb';
import type { ExperimentRecord } from '../experiments/record';
import type { ObjectKind } from '../objects/types';

export const DEFAULT_STORE_NAME = 'pawprint';

/** A blob's metadata, kept apart from its bytes so listing blobs stays cheap. */
export interface BlobRecord {
  sha256: string;
  md5: string;
  size: number;
  /** MIME type given when first stored ("" if unknown). */
  type: string;
  /** When the bytes were first stored (ms since epoch). */
  storedAt: number;
  /** Where the bytes are when they were written to a pack file; absent: in blobData. */
  pack?: PackLocation;
}

/** A blob's bytes in a pack file: `size` bytes from `offset` (see packs/directory.ts). */
export interface PackLocation {
  file: string;
  offset: number;
}

/**
 * The records of blobs written together to a pack (one putBlobs batch), up
 * to BLOB_GROUP_SIZE per value: IndexedDB charges per value written, and an
 * ingest writes thousands of small images. `shas` lists the records' keys for
 * the multi-entry index `sha256`, which finds a blob's group; `id` is
 * assigned by the store.
 */
export interface BlobGroup {
  id?: number;
  shas: string[];
  records: BlobRecord[];
}

/**
 * An object as stored (schema 4): its canonical JSON, the very text its id is
 * the sha256 of. One string is several times cheaper for IndexedDB to write
 * than the same data set as thousands of small objects, and it is computed
 * anyway for the id. Readers parse it (read-objects.ts, bodyOf).
 */
export interface ObjectRecord {
  id: string;
  kind: ObjectKind;
  json: string;
}

/** A movable name for an object: 'HEAD', 'tags/<tag>', … */
export interface RefRecord {
  name: string;
  target: string;
  updatedAt: number;
}

/**
 * The database layout at the current schema version. Blob bytes are in pack
 * files when the record says so (ingest in a worker), else in blobData,
 * stored as ArrayBuffer: it structured-clones the same in every engine and in
 * fake-indexeddb, Chromium moves large values out of line into its own blob
 * files anyway, small ones (most images) stay inline where batched writes
 * are fastest, and readers get bytes they can hash without another async
 * read. getBlob wraps them in a Blob for callers.
 */
export interface PawprintSchema extends DBSchema {
  /** One record per blob: blobs written one at a time (putBlob, inline batches) and every blob stored before schema 3. */
  blobs: { key: string; value: BlobRecord };
  /** Records of pack-written blobs, grouped (schema 3). A blob's record is in `blobs` or in one group, never both. */
  blobGroups: { key: number; value: BlobGroup; indexes: { sha256: string } };
  blobData: { key: string; value: ArrayBuffer };
  objects: { key: string; value: ObjectRecord; indexes: { kind: ObjectKind } };
  refs: { key: string; value: RefRecord };
  /** Small facts about the store itself (schema 4): the blob-set token of known-blobs.ts. */
  meta: { key: string; value: unknown };
  /** Queued and finished experiments (schema 5), by id; their results are versions kept by `experiments/<id>` refs. */
  experiments: { key: string; value: ExperimentRecord };
  /** Rebuildable caches (decoded tensors, thumbnails…); safe to drop at any time. */
  derived: { key: string; value: unknown };
}

export type StoreName = StoreNames<PawprintSchema>;
export type PawprintDB = IDBPDatabase<PawprintSchema>;
export type WriteTransaction<Names extends StoreName[]> = IDBPTransaction<PawprintSchema, Names, 'readwrite'>;
