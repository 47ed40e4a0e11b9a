import { formatBytes } from '../format/bytes';

/**
 * Errors the store (and object decoding) raise. Each has a stable `code` for
 * programs and a message written for the person using the app.
 */
export type StoreErrorCode = 'missing' | 'corrupt' | 'quota' | 'schema' | 'invalid' | 'refs-moved';

export class StoreError extends Error {
  constructor(
    readonly code: StoreErrorCode,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Something referenced (a blob, an object, a ref target) is not in the store. */
export class MissingObjectError extends StoreError {
  constructor(
    readonly ids: string[],
    message = `The local store is missing ${ids.length === 1 ? 'an item' : `${ids.length} items`} this needs: ${abbreviate(ids)}.`,
  ) {
    super('missing', message);
  }
}

/** Stored content no longer matches its hash. */
export class CorruptObjectError extends StoreError {
  constructor(
    readonly id: string,
    reason: string,
  ) {
    super('corrupt', `Stored item ${id.slice(0, 12)}… is damaged (${reason}). Run a store check to see what is affected.`);
  }
}

/** The way forward a quota message ends with. */
export const FREE_SPACE = 'Free space with Clean up (under Storage) or by deleting versions, or allow this site more storage, then try again.';

/** The browser refused a write for lack of storage space. */
export class QuotaExceededError extends StoreError {
  constructor(
    /** Size of the write that failed, when known. */
    readonly bytes: number | undefined,
    cause?: unknown,
    /** Said by a caller that knows the step (an import: how far it got, what it took back). */
    message?: string,
  ) {
    const what = bytes === undefined ? 'data' : formatBytes(bytes);
    super(
      'quota',
      message ??
        `The browser ran out of storage space while saving ${what}. Nothing from this step was saved. ${FREE_SPACE}`,
      { cause },
    );
  }
}

/** A quota error restated by the caller that knows the step (what it was doing, what it kept); any other error as it is. */
export function quotaAt(error: unknown, message: string): unknown {
  return error instanceof QuotaExceededError ? new QuotaExceededError(error.bytes, error, message) : error;
}

/** Data written by a newer (or unknown) schema this code cannot read safely. */
export class SchemaError extends StoreError {
  constructor(message: string, options?: ErrorOptions) {
    super('schema', message, options);
  }
}

/**
 * A commit expected refs to have the targets its caller read, and another
 * writer (another tab) had moved them since: nothing was written.
 */
export class RefsMovedError extends StoreError {
  constructor(readonly names: string[]) {
    super('refs-moved', `${names.join(', ')} changed since they were read; nothing was written.`);
  }
}

/** A value that is not a well-formed object, ref name or input. */
export class InvalidObjectError extends StoreError {
  constructor(message: string) {
    super('invalid', message);
  }
}

function abbreviate(ids: string[]): string {
  const shown = ids.slice(0, 5).map((id) => (id.length > 16 ? `${id.slice(0, 12)}…` : id));
  return ids.length > 5 ? `${shown.join(', ')} and ${ids.length - 5} more` : shown.join(', ');
}
