export type ZipProblem =
  | 'not-zip'
  | 'truncated'
  | 'corrupt'
  | 'unsafe-path'
  | 'encrypted'
  | 'too-large'
  | 'unsupported';

/** A zip that is refused as a whole; `message` is written for the user and names the entry. */
export class ZipError extends Error {
  override readonly name = 'ZipError';
  constructor(
    readonly problem: ZipProblem,
    message: string,
    /** The offending entry's name as stored in the zip, when one is to blame. */
    readonly entry: string | null = null,
  ) {
    super(message);
  }
}
