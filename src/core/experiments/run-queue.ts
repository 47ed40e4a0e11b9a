import type { ExperimentRecord } from './record';
import type { StartedExperiment } from './start-next';

/** How a training run of an experiment ended, as the train worker reports it. */
export type TrainOutcome = { status: 'done' } | { status: 'stopped' } | { status: 'failed'; reason: string };

/** What the queue runner needs: the store operations and the training, injected (the page passes its workers). */
export interface QueueRunner {
  /** Marks runs a gone runner left "running" as interrupted. */
  markInterrupted(): Promise<unknown>;
  startNext(): Promise<StartedExperiment | null>;
  train(record: ExperimentRecord): Promise<TrainOutcome>;
  end(record: ExperimentRecord, status: 'failed' | 'cancelled', reason: string): Promise<unknown>;
  /** After each state change, for the page to re-read the table. */
  changed(): Promise<void> | void;
}

export const STOPPED_REASON = 'Stopped by the user while it ran; nothing was kept.';

/**
 * Runs the queue to its end, one experiment after another: the caller holds
 * the queue's Web Lock, so it first marks what a gone runner left running as
 * interrupted, then takes each queued run in turn (a run-cache hit is done at
 * once) until none is left. A failed run does not stop the queue.
 */
export async function runQueue(runner: QueueRunner): Promise<void> {
  if (((await runner.markInterrupted()) as unknown[] | undefined)?.length) await runner.changed();
  for (;;) {
    const next = await runner.startNext();
    if (!next) return;
    // The table re-reads while the run trains (other workers): it need not hold the run back.
    // Awaited before the next re-read, so the table never shows an older state after a newer one.
    const shown = runner.changed();
    if (next.cached) {
      await shown;
      continue;
    }
    let outcome: TrainOutcome;
    try {
      outcome = await runner.train(next.record);
    } catch (error) {
      outcome = { status: 'failed', reason: (error as Error).message || String(error) };
    }
    await shown;
    if (outcome.status === 'failed') await runner.end(next.record, 'failed', outcome.reason);
    else if (outcome.status === 'stopped') await runner.end(next.record, 'cancelled', STOPPED_REASON);
    await runner.changed();
  }
}
