import type { Version } from '../objects/types';
import type { RefState } from '../versions/ref-state';

/** A version as the page names it: its first tag, else its message in quotes. */
export function versionLabel(refs: RefState, versionId: string, version: Version): string {
  return refs.tagsByVersion.get(versionId)?.[0] ?? `“${version.message}”`;
}
