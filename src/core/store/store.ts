import type { ObjectKind, PawprintObject } from '../objects/types';
import { commit, type CommitInput } from './commit';
import { clearDerived, deleteDerived, getDerived, putDerived } from './derived';
import { dropFeatures, featureUsage, getFeatures, putFeatures, type FeatureUsage } from './features';
import { gc, type GcOptions, type GcResult } from './gc';
import { putBlob, putBlobs, warmUpPutBlobs, type BlobInput, type PutBlobResult, type PutBlobsOptions, type PutBlobsResult } from './put-blobs';
import { getBlob, getBlobRecord, getBlobs, hasBlob, missingBlobs } from './read-blobs';
import { getObject, hasObject, listObjects } from './read-objects';
import { deleteRef, getRef, listRefs, setRef } from './refs';
import type { BlobRecord, ObjectRecord, PawprintDB, RefRecord } from './schema';
import { usage, type StoreUsage } from './usage';
import { verify, type VerifyOptions, type VerifyReport } from './verify';

/**
 * The content-addressed store: blobs (file bytes), objects (datasets, models,
 * versions) and refs. Each method is one operation from its own module; this
 * class only binds them to an open database. Write order keeps crashes
 * harmless: putBlob first, then commit() for objects and refs together.
 */
export class Store {
  constructor(readonly db: PawprintDB) {}

  putBlob(data: BlobInput, options?: { type?: string; signal?: AbortSignal }): Promise<PutBlobResult> {
    return putBlob(this.db, data, options);
  }

  putBlobs(items: Iterable<BlobInput> | AsyncIterable<BlobInput>, options?: PutBlobsOptions): Promise<PutBlobsResult> {
    return putBlobs(this.db, items, options);
  }

  /** Readies putBlobs (hashers, pack folder, the known set of blobs) ahead of a call, e.g. while the user reviews a drop. */
  warmUpPutBlobs(): Promise<void> {
    return warmUpPutBlobs(this.db);
  }

  hasBlob(sha256: string): Promise<boolean> {
    return hasBlob(this.db, sha256);
  }

  missingBlobs(shas: Iterable<string>): Promise<string[]> {
    return missingBlobs(this.db, shas);
  }

  getBlobRecord(sha256: string): Promise<BlobRecord | undefined> {
    return getBlobRecord(this.db, sha256);
  }

  getBlob(sha256: string): Promise<Blob> {
    return getBlob(this.db, sha256);
  }

  getBlobs(shas: Iterable<string>): Promise<Map<string, Blob>> {
    return getBlobs(this.db, shas);
  }

  getObject(id: string): Promise<PawprintObject> {
    return getObject(this.db, id);
  }

  hasObject(id: string): Promise<boolean> {
    return hasObject(this.db, id);
  }

  listObjects(kind?: ObjectKind): Promise<ObjectRecord[]> {
    return listObjects(this.db, kind);
  }

  commit(input: CommitInput, options?: { signal?: AbortSignal }): Promise<string[]> {
    return commit(this.db, input, options);
  }

  setRef(name: string, target: string): Promise<void> {
    return setRef(this.db, name, target);
  }

  getRef(name: string): Promise<string | undefined> {
    return getRef(this.db, name);
  }

  deleteRef(name: string): Promise<boolean> {
    return deleteRef(this.db, name);
  }

  listRefs(prefix?: string): Promise<RefRecord[]> {
    return listRefs(this.db, prefix);
  }

  gc(options?: GcOptions): Promise<GcResult> {
    return gc(this.db, options);
  }

  verify(options?: VerifyOptions): Promise<VerifyReport> {
    return verify(this.db, options);
  }

  usage(): Promise<StoreUsage> {
    return usage(this.db);
  }

  getDerived(key: string): Promise<unknown> {
    return getDerived(this.db, key);
  }

  putDerived(key: string, value: unknown): Promise<void> {
    return putDerived(this.db, key, value);
  }

  deleteDerived(key: string): Promise<void> {
    return deleteDerived(this.db, key);
  }

  clearDerived(): Promise<void> {
    return clearDerived(this.db);
  }

  putFeatures(set: string, rows: Iterable<readonly [sha256: string, values: Float32Array]>): Promise<void> {
    return putFeatures(this.db, set, rows);
  }

  getFeatures(set: string, shas: Iterable<string>): Promise<Map<string, Float32Array>> {
    return getFeatures(this.db, set, shas);
  }

  featureUsage(): Promise<FeatureUsage> {
    return featureUsage(this.db);
  }

  /** Drops cached features: of images not in `live`, or all of them. */
  dropFeatures(live?: ReadonlySet<string>): Promise<number> {
    return dropFeatures(this.db, live);
  }

  close(): void {
    this.db.close();
  }
}
