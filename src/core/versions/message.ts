import { VersionError } from './errors';

/** The message a version or stash is saved with: trimmed, and never empty (as git refuses an empty commit message). */
export function requireMessage(message: string, hint: string): string {
  const trimmed = message.trim();
  if (trimmed === '') throw new VersionError('invalid-message', hint);
  return trimmed;
}
