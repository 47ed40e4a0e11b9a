import { VersionError } from './errors';

export const MAX_TAG_LENGTH = 100;

/**
 * Why `name` cannot be a tag, or null when it can. Git's rules for ref names
 * (so tags can be exported to a git repository as they are): `v1.0`,
 * `v2.0-rc1` and `exp/lr-0.01` are fine.
 */
export function tagNameProblem(name: string): string | null {
  if (name === '') return 'A tag needs a name, e.g. v1.0.';
  if (name.length > MAX_TAG_LENGTH) return `A tag can be at most ${MAX_TAG_LENGTH} characters long.`;
  if (/\s/.test(name)) return 'A tag cannot contain spaces.';
  if (/[\u0000-\u001f\u007f]/.test(name)) return 'A tag cannot contain control characters.';
  if (/[~^:?*[\\]/.test(name)) return 'A tag cannot contain any of ~ ^ : ? * [ \\.';
  if (name.includes('..')) return 'A tag cannot contain "..".';
  if (name.includes('@{')) return 'A tag cannot contain "@{".';
  if (name === '@') return 'A tag cannot be "@" alone.';
  if (name.startsWith('-')) return 'A tag cannot start with "-".';
  if (name.startsWith('/') || name.endsWith('/') || name.includes('//')) {
    return 'A tag can use "/" only between names, as in exp/lr-0.01.';
  }
  const parts = name.split('/');
  if (parts.some((part) => part.startsWith('.'))) return 'A tag (or a part of it between "/") cannot start with ".".';
  if (parts.some((part) => part.endsWith('.lock'))) return 'A tag (or a part of it between "/") cannot end with ".lock".';
  if (name.endsWith('.')) return 'A tag cannot end with ".".';
  return null;
}

export function assertTagName(name: string): void {
  const problem = tagNameProblem(name);
  if (problem) throw new VersionError('invalid-tag', problem);
}
