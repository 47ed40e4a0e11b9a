/**
 * A remote is a place versions are pushed to and pulled from: a folder the user
 * picked, an HTTP server, or a zip (a bundle). Every transport speaks only this:
 * whole files at "/"-separated paths relative to the remote's root, in DVC's
 * remote layout (see layout.ts). Push and pull (push.ts, pull.ts) never know
 * which transport they talk to.
 */
export interface Remote {
  /** What to call the remote in messages: a folder name or a URL, never a credential. */
  readonly name: string;
  /** The file's bytes, or null when the remote has no such file. */
  read(path: string, signal?: AbortSignal): Promise<Uint8Array | null>;
  /** Whether the file exists, without reading it (HEAD for HTTP). */
  has(path: string, signal?: AbortSignal): Promise<boolean>;
  /** Writes the whole file, replacing any earlier one. */
  write(path: string, bytes: Uint8Array, signal?: AbortSignal): Promise<void>;
}

/** Why a remote operation failed, in the words a person needs to fix it. */
export type RemoteFailure = 'unreachable' | 'unauthorised' | 'forbidden' | 'refused' | 'invalid';

export class RemoteError extends Error {
  constructor(
    readonly failure: RemoteFailure,
    /** The remote path that failed, when one did. */
    readonly path: string | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'RemoteError';
  }
}
