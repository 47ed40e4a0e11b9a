/**
 * A push or pull that stopped partway: says what failed (the cause's message,
 * naming the path) and which versions were not transferred. A push never
 * writes the index before its objects, and a pull commits nothing before
 * every file is verified, so the other side stays as it was.
 */
export class TransferError extends Error {
  override name = 'TransferError';

  constructor(
    message: string,
    /** Ids of the versions that did not arrive. */
    readonly notTransferred: string[],
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');
}
