/**
 * Writes that must not interleave — an ingest between storing blobs and
 * referencing them, a commit, a checkout, gc — take one Web Lock, shared by
 * every worker of every tab of this origin. gc in one tab therefore cannot
 * collect the blobs another tab has stored but not yet referenced.
 */
export function withStoreLock<T>(work: () => Promise<T>): Promise<T> {
  if (!navigator.locks) return work();
  return navigator.locks.request('pawprint-store', work) as Promise<T>;
}

/** Tells every other tab (and this one's page) that refs changed, so they re-read them. */
export function announceChange(what: string): void {
  const channel = new BroadcastChannel('pawprint');
  channel.postMessage({ type: 'changed', what });
  channel.close();
}
