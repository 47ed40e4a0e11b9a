/** What a state class shows while one of its operations runs, and after one fails. */
export interface Guarded {
  busy: boolean;
  error: string | null;
  notice: string | null;
}

/** Runs `operation` with `busy` set and the last error and notice cleared; a failure's message becomes `error`. */
export async function guarded(state: Guarded, operation: () => Promise<unknown>): Promise<void> {
  state.busy = true;
  state.error = null;
  state.notice = null;
  try {
    await operation();
  } catch (error) {
    state.error = (error as Error).message;
  } finally {
    state.busy = false;
  }
}
