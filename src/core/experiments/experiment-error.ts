export type ExperimentErrorCode = 'no-such-experiment' | 'not-finished' | 'running' | 'not-done' | 'uncommitted-data' | 'changed-elsewhere';

/** An experiment operation refused, with a sentence for the user; nothing was changed. */
export class ExperimentError extends Error {
  constructor(
    readonly code: ExperimentErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ExperimentError';
  }
}
