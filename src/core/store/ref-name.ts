import { InvalidObjectError } from './errors';

/**
 * Ref names are "/"-separated like paths ('HEAD', 'tags/v1.0', 'stash/…'):
 * no empty, "." or ".." parts and no control characters, so they can be
 * shown, typed and exported safely.
 */
export function assertRefName(name: string): void {
  const parts = name.split('/');
  const badPart = parts.some((part) => part === '' || part === '.' || part === '..');
  if (badPart || name.length > 255 || /[\u0000-\u001f\u007f]/.test(name)) {
    throw new InvalidObjectError(`"${name}" cannot be used as a name for a version or tag.`);
  }
}
