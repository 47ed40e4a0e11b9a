/** The AbortControllers of this worker's running jobs, so the page can cancel one by its id. */
const controllers = new Map<number, AbortController>();

/** Runs `work` with an AbortSignal that `cancelJob(jobId)` trips. */
export async function runJob<T>(jobId: number, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  controllers.set(jobId, controller);
  try {
    return await work(controller.signal);
  } finally {
    controllers.delete(jobId);
  }
}

/** Cancel, Stop: the job stops at its next check of the signal. */
export function cancelJob(jobId: number, reason: string): void {
  controllers.get(jobId)?.abort(new DOMException(reason, 'AbortError'));
}
