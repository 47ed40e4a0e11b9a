import { DEFAULT_STORE_NAME } from './schema';

/**
 * Runs `work` holding the store lock. Writes that must not interleave — an
 * ingest between storing blobs and referencing them, a commit, a checkout,
 * gc — run under it, shared by every worker of every tab of this origin
 * (a Web Lock), so gc in one tab never collects the blobs another has stored
 * but not yet referenced. It is not reentrant: work under it writes through
 * the store view `Store.underLock` hands it, never through the store itself.
 */
export type StoreLock = <T>(work: () => Promise<T>) => Promise<T>;

/** The lock of the store named `storeName`: a Web Lock where there are Web Locks (browsers), else one shared by this process (Node). */
export function storeLock(storeName: string): StoreLock {
  // The default store keeps the name earlier builds used, so a tab still running one excludes this one.
  const name = storeName === DEFAULT_STORE_NAME ? 'pawprint-store' : `pawprint-store/${storeName}`;
  const locks = (globalThis as { navigator?: { locks?: LockManager } }).navigator?.locks;
  if (locks) return <T>(work: () => Promise<T>) => locks.request(name, work) as Promise<T>;
  return processLock(name);
}

const tails = new Map<string, Promise<unknown>>();

/** A lock for this process: each holder runs after the previous one settled. */
function processLock(name: string): StoreLock {
  return <T>(work: () => Promise<T>) => {
    const previous = tails.get(name) ?? Promise.resolve();
    const run = previous.then(() => work());
    const tail = run.catch(() => undefined);
    tails.set(name, tail);
    void tail.then(() => {
      if (tails.get(name) === tail) tails.delete(name);
    });
    return run;
  };
}
