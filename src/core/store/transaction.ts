import { QuotaExceededError, StoreError } from './errors';
import type { PawprintDB, StoreName, WriteTransaction } from './schema';

/**
 * Runs `work` in one readwrite transaction and waits for it to commit. Any
 * failure (a thrown error, a failed request, a refused commit) aborts the
 * whole transaction, so a write is either complete or absent. The browser's
 * quota error becomes a QuotaExceededError naming the size of the write.
 *
 * `work` must only await IndexedDB requests of `tx`: awaiting anything else
 * lets the transaction commit early.
 */
export async function writeTransaction<Names extends StoreName[], T>(
  db: PawprintDB,
  storeNames: Names,
  work: (tx: WriteTransaction<Names>) => Promise<T>,
  bytes?: number,
): Promise<T> {
  const tx = db.transaction(storeNames, 'readwrite');
  const done = tx.done;
  done.catch(() => undefined); // observed below; this only keeps an abort from being reported as unhandled
  try {
    const result = await work(tx);
    await done;
    return result;
  } catch (error) {
    abortQuietly(tx);
    await done.catch(() => undefined); // settle the abort before callers look again
    throw isQuotaError(error) ? new QuotaExceededError(bytes, error) : error;
  }
}

export function abortQuietly(tx: { abort(): void }): void {
  try {
    tx.abort();
  } catch {
    // Already committed or aborted by the failure itself.
  }
}

/** The browser's quota error (from IndexedDB or a file write), not one of ours. */
export function isQuotaError(error: unknown): boolean {
  return !(error instanceof StoreError) && (error as { name?: unknown } | null)?.name === 'QuotaExceededError';
}
