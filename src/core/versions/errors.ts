/** Why a versions operation was refused; stable for programs, the message is for the person. */
export type VersionErrorCode =
  | 'invalid-message'
  | 'invalid-tag'
  | 'tag-exists'
  | 'no-such-tag'
  | 'no-such-version'
  | 'no-data'
  | 'no-model'
  | 'no-features'
  | 'stale-model'
  | 'nothing-to-commit'
  | 'tagged'
  | 'holds-stage'
  | 'checked-out'
  | 'changed-elsewhere'
  | 'uncommitted-changes';

/**
 * A refused versions operation (commit, tag, checkout, delete). It is thrown
 * before anything is written, so the store is exactly as it was.
 */
export class VersionError extends Error {
  // Spelled out rather than taken from the class, which a minifier renames:
  // callers across a worker boundary (comlink keeps name and message) test it.
  override name = 'VersionError';

  constructor(
    readonly code: VersionErrorCode,
    message: string,
  ) {
    super(message);
  }
}

/**
 * A checkout would discard work no version keeps (data set edits, a model not
 * committed). Retry with a stash message to keep it, or with force to drop it.
 */
export class UncommittedChangesError extends VersionError {
  override name = 'UncommittedChangesError';

  constructor(
    /** The workspace status line, e.g. "+1 000 files in train/cats, train/dogs, model trained, not committed". */
    readonly statusText: string,
  ) {
    super(
      'uncommitted-changes',
      `The workspace has changes no version keeps (${statusText}). Keep them as a stash, or discard them, before checking out.`,
    );
  }
}
