import type { ExperimentRecord } from '../experiments/record';
import type { ObjectKind, ObjectOfKind, PawprintObject } from '../objects/types';
import { cleanUp, type CleanUpOptions, type CleanUpResult } from './clean-up';
import { planCleanUp, summarize, type UnreachableSummary } from './clean-up-plan';
import { commit, type CommitInput } from './commit';
import { discardBlobs } from './discard-blobs';
import { derivedKeys, getDerived, getDerivedMany, updateDerived, type DerivedUpdate } from './derived';
import { listExperiments, type ExperimentUpdate } from './experiments';
import { dropFeatures, featureUsage, getFeatures, putFeatures, type FeatureUsage } from './features';
import { gc, type GcOptions, type GcResult } from './gc';
import type { StoreLock } from './lock';
import { putBlob, putBlobs, warmUpPutBlobs, type BlobInput, type PutBlobResult, type PutBlobsOptions, type PutBlobsResult } from './put-blobs';
import { getBlob, getBlobRecord, getBlobs, hasBlob, missingBlobs } from './read-blobs';
import { findObjects, getObject, getObjects, hasObject, listObjects, missingObjects } from './read-objects';
import { deleteRef, getRef, listRefs, setRef } from './refs';
import type { BlobRecord, ObjectRecord, PawprintDB, RefRecord } from './schema';
import { usage, type StoreUsage } from './usage';
import { verify, type VerifyOptions, type VerifyReport } from './verify';

/**
 * The content-addressed store: blobs (file bytes), objects (datasets, models,
 * versions), refs and the derived cache. It alone touches IndexedDB (its
 * connection is private) and OPFS. Each method is one operation from its own
 * module; this class binds them to an open database and runs every write
 * under the store lock: a write takes it by itself, and work that must not
 * interleave with other writers (store blobs, then reference them) runs
 * through `underLock`, whose view of the store writes without taking it
 * again. Write order keeps crashes harmless: blobs first, then commit() for
 * objects and refs together.
 */
export class Store {
  readonly #db: PawprintDB;
  readonly #lock: StoreLock;
  /** This view runs inside the lock (underLock): its writes must not wait for it. */
  readonly #held: boolean;

  constructor(db: PawprintDB, lock: StoreLock, held = false) {
    this.#db = db;
    this.#lock = lock;
    this.#held = held;
  }

  /** The IndexedDB database's name (one per store). */
  get name(): string {
    return this.#db.name;
  }

  /**
   * Runs `work` holding the store lock, with a view of this store whose writes
   * run inside it: a sequence of writes (and the reads they depend on) that
   * no other writer in any tab may interleave with. Only the writing part of
   * an operation should run here: reading a remote or building a model under
   * it would hold up every other writer.
   */
  underLock<T>(work: (store: Store) => Promise<T>): Promise<T> {
    if (this.#held) return work(this);
    return this.#lock(() => work(new Store(this.#db, this.#lock, true)));
  }

  #write<T>(operation: (db: PawprintDB) => Promise<T>): Promise<T> {
    return this.underLock(() => operation(this.#db));
  }

  putBlob(data: BlobInput, options?: { type?: string; signal?: AbortSignal }): Promise<PutBlobResult> {
    return this.#write((db) => putBlob(db, data, options));
  }

  putBlobs(items: Iterable<BlobInput> | AsyncIterable<BlobInput>, options?: PutBlobsOptions): Promise<PutBlobsResult> {
    return this.#write((db) => putBlobs(db, items, options));
  }

  /** Readies putBlobs (hashers, pack folder, the known set of blobs) ahead of a call, e.g. while the user reviews a drop. */
  warmUpPutBlobs(): Promise<void> {
    return warmUpPutBlobs(this.#db);
  }

  hasBlob(sha256: string): Promise<boolean> {
    return hasBlob(this.#db, sha256);
  }

  missingBlobs(shas: Iterable<string>): Promise<string[]> {
    return missingBlobs(this.#db, shas);
  }

  getBlobRecord(sha256: string): Promise<BlobRecord | undefined> {
    return getBlobRecord(this.#db, sha256);
  }

  getBlob(sha256: string): Promise<Blob> {
    return getBlob(this.#db, sha256);
  }

  getBlobs(shas: Iterable<string>): Promise<Map<string, Blob>> {
    return getBlobs(this.#db, shas);
  }

  getObject(id: string): Promise<PawprintObject>;
  getObject<K extends ObjectKind>(id: string, kind: K): Promise<ObjectOfKind<K>>;
  getObject(id: string, kind?: ObjectKind): Promise<PawprintObject> {
    return getObject(this.#db, id, kind);
  }

  /** Objects of one kind in one transaction; every id must be stored (nulls are skipped). */
  getObjects<K extends ObjectKind>(ids: Iterable<string | null>, kind: K): Promise<Map<string, ObjectOfKind<K>>> {
    return getObjects(this.#db, ids, kind);
  }

  /** Those of `ids` that are stored, read like getObjects. */
  findObjects<K extends ObjectKind>(ids: Iterable<string | null>, kind: K): Promise<Map<string, ObjectOfKind<K>>> {
    return findObjects(this.#db, ids, kind);
  }

  hasObject(id: string): Promise<boolean> {
    return hasObject(this.#db, id);
  }

  missingObjects(ids: Iterable<string>): Promise<string[]> {
    return missingObjects(this.#db, ids);
  }

  listObjects(kind?: ObjectKind): Promise<ObjectRecord[]> {
    return listObjects(this.#db, kind);
  }

  commit(input: CommitInput, options?: { signal?: AbortSignal }): Promise<string[]> {
    return this.#write((db) => commit(db, input, options));
  }

  setRef(name: string, target: string): Promise<void> {
    return this.#write((db) => setRef(db, name, target));
  }

  getRef(name: string): Promise<string | undefined> {
    return getRef(this.#db, name);
  }

  deleteRef(name: string): Promise<boolean> {
    return this.#write((db) => deleteRef(db, name));
  }

  listRefs(prefix?: string): Promise<RefRecord[]> {
    return listRefs(this.#db, prefix);
  }

  /** Every experiment record, in queue order. */
  listExperiments(): Promise<ExperimentRecord[]> {
    return listExperiments(this.#db);
  }

  /** Writes and deletes experiment records (no objects or refs: those go with commit's `experiments`). */
  async updateExperiments(update: ExperimentUpdate): Promise<void> {
    await this.commit({ experiments: update });
  }

  gc(options?: GcOptions): Promise<GcResult> {
    return this.#write((db) => gc(db, options));
  }

  /**
   * Takes back blobs this caller stored as new and has not referenced (an
   * ingest whose data set was refused): only from inside underLock, by the
   * holder that stored them.
   */
  discardBlobs(shas: Iterable<string>): Promise<void> {
    return this.#write((db) => discardBlobs(db, shas));
  }

  /**
   * What no ref reaches and a Clean up would free, found under the store lock:
   * every writer holds it from its first blob to the ref naming it, so what is
   * found is interrupted or refused work, never another tab's work in progress.
   */
  unreachable(options?: { signal?: AbortSignal }): Promise<UnreachableSummary> {
    return this.#write(async (db) => summarize(await planCleanUp(db, options)));
  }

  /** Removes what no ref reaches (blobs, records, pack files and tails, stale derived values, OPFS leftovers), under the store lock. */
  cleanUp(options?: CleanUpOptions): Promise<CleanUpResult> {
    return this.#write((db) => cleanUp(db, options));
  }

  /** Rehashes and checks everything without the lock, then finds what is unreachable (briefly under it). */
  async verify(options?: VerifyOptions): Promise<VerifyReport> {
    const report = await verify(this.#db, options);
    // Waiting for the lock (another tab importing) must not outlast a Cancel.
    const unreachable = this.unreachable({ signal: options?.signal });
    const signal = options?.signal;
    if (!signal) return { ...report, unreachable: await unreachable };
    unreachable.catch(() => undefined);
    signal.throwIfAborted();
    const aborted = new Promise<never>((_, reject) => signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true }));
    return { ...report, unreachable: await Promise.race([unreachable, aborted]) };
  }

  usage(): Promise<StoreUsage> {
    return usage(this.#db);
  }

  getDerived(key: string): Promise<unknown> {
    return getDerived(this.#db, key);
  }

  getDerivedMany(keys: readonly string[]): Promise<unknown[]> {
    return getDerivedMany(this.#db, keys);
  }

  derivedKeys(prefix: string): Promise<string[]> {
    return derivedKeys(this.#db, prefix);
  }

  updateDerived(update: DerivedUpdate): Promise<void> {
    return this.#write((db) => updateDerived(db, update));
  }

  /** Stores rows of the bottleneck feature cache (derived data: see features.ts). */
  putFeatures(set: string, rows: Iterable<readonly [sha256: string, values: Float32Array]>): Promise<void> {
    return this.#write((db) => putFeatures(db, set, rows));
  }

  getFeatures(set: string, shas: Iterable<string>): Promise<Map<string, Float32Array>> {
    return getFeatures(this.#db, set, shas);
  }

  featureUsage(): Promise<FeatureUsage> {
    return featureUsage(this.#db);
  }

  /** Drops cached features: of images not in `live`, or all of them. */
  dropFeatures(live?: ReadonlySet<string>): Promise<number> {
    return this.#write((db) => dropFeatures(db, live));
  }

  close(): void {
    this.#db.close();
  }

  /** The connection, for core/store's own white-box tests only (test/unit/store-*.test.ts). */
  static databaseOf(store: Store): PawprintDB {
    return store.#db;
  }
}
