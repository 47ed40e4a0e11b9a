/** Why a registry operation was refused; stable for programs, the message is for the person. */
export type RegistryErrorCode = 'invalid-stage' | 'no-such-version' | 'no-model' | 'already-assigned' | 'not-assigned' | 'rejected';

/** A refused registry operation: thrown before anything is written. */
export class RegistryError extends Error {
  // Spelled out: a minifier renames classes, and the page tells errors apart by name across the worker boundary.
  override name = 'RegistryError';

  constructor(
    readonly code: RegistryErrorCode,
    message: string,
  ) {
    super(message);
  }
}
