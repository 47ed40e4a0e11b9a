/** Why "Import model" refused the files; stable for programs, the message is for the person. */
export type ModelImportErrorCode =
  | 'missing-file'
  | 'malformed'
  | 'wrong-format'
  | 'unknown-schema'
  | 'size-mismatch'
  | 'hash-mismatch'
  | 'shape-mismatch'
  | 'does-not-load'
  | 'no-data'
  | 'label-mismatch';

/** A refused model import. It is thrown before anything is stored, so the store is exactly as it was. */
export class ModelImportError extends Error {
  // Spelled out: a minifier renames classes, and the name is what survives the worker boundary (Comlink sends name and message).
  override name = 'ModelImportError';

  constructor(
    readonly code: ModelImportErrorCode,
    message: string,
  ) {
    super(message);
  }
}
