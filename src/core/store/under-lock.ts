/**
 * Runs a write under the store lock that every worker of every tab shares
 * (workers/lib/store-lock.ts). Operations that read or fetch a while before
 * they write take it from their caller, for the writing part only, so that
 * reading a remote or building a model does not hold up the other writers.
 */
export type UnderLock = <T>(work: () => Promise<T>) => Promise<T>;
