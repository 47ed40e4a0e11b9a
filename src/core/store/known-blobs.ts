import type { IDBPTransaction } from 'idb';
import type { PawprintDB, PawprintSchema, StoreName } from './schema';

/**
 * Which blobs the store holds, kept in memory between transactions. IndexedDB
 * cannot list a multi-entry index's keys without reading the values they
 * index (the record groups), so asking it which of 3 000 blobs exist costs
 * ~10 ms, twice per ingest (dedup, then commit's check). Every transaction
 * that adds or deletes blob records also writes a new random token under
 * meta 'blobs'. A transaction that reads the token this connection held when
 * it last listed or changed the blobs knows that the set it kept is exact,
 * whatever other tabs and workers did in between; any other token drops it.
 */
const TOKEN_KEY = 'blobs';
/** The token of a store no blob record was written to since schema 4 (its records are as old as the upgrade). */
const NO_TOKEN = '';

interface KnownBlobs {
  token: string;
  shas: Set<string>;
}

const known = new WeakMap<PawprintDB, KnownBlobs>();

/** Any transaction that can read the token (and, to list blobs, their records). */
type MetaTx = IDBPTransaction<PawprintSchema, StoreName[], IDBTransactionMode>;

async function readToken(tx: MetaTx): Promise<string> {
  return ((await tx.objectStore('meta').get(TOKEN_KEY)) as string | undefined) ?? NO_TOKEN;
}

/** Those of `shas` the store holds as of `tx`, when this connection's set is current; else null (ask the records). */
export async function knownPresent(tx: MetaTx, shas: readonly string[]): Promise<Set<string> | null> {
  const current = known.get(tx.db);
  if (!current) return null;
  if ((await readToken(tx)) !== current.token) {
    known.delete(tx.db);
    return null;
  }
  return new Set(shas.filter((sha) => current.shas.has(sha)));
}

/**
 * Lists every stored blob in one read and keeps the set, so that later
 * checks read only the token: worth doing ahead of an ingest (while the user
 * reviews the drop), as it reads every record once. A set still current is
 * kept without reading the records again.
 */
export async function learnBlobs(db: PawprintDB): Promise<void> {
  const tx = db.transaction(['blobs', 'blobGroups', 'meta']);
  const token = await readToken(tx);
  if (known.get(db)?.token === token) return;
  const [singles, groups] = await Promise.all([tx.objectStore('blobs').getAllKeys(), tx.objectStore('blobGroups').getAll()]);
  known.set(db, { token, shas: new Set([...singles, ...groups.flatMap((group) => group.shas)]) });
}

/**
 * Marks `tx` as adding and deleting blob records: writes a new token, and
 * once `tx` has committed brings this connection's set along (if it was
 * current before `tx`; readwrite transactions on the blobs run one at a time).
 * Every transaction that writes `blobs` or `blobGroups` must call this.
 */
export async function noteBlobChanges(
  tx: IDBPTransaction<PawprintSchema, StoreName[], 'readwrite'>,
  change: { added?: Iterable<string>; deleted?: Iterable<string> },
): Promise<void> {
  const db = tx.db;
  const before = await readToken(tx);
  const after = crypto.randomUUID();
  await tx.objectStore('meta').put(after, TOKEN_KEY);
  const added = [...(change.added ?? [])];
  const deleted = [...(change.deleted ?? [])];
  tx.done.then(
    () => {
      const current = known.get(db);
      if (current?.token !== before) return void known.delete(db);
      for (const sha of deleted) current.shas.delete(sha);
      for (const sha of added) current.shas.add(sha);
      current.token = after;
    },
    () => undefined,
  );
}
