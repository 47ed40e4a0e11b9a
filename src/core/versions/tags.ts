import type { Store } from '../store';
import { VersionError } from './errors';
import { readRefState } from './ref-state';
import { tagRefName } from './ref-names';
import { assertTagName } from './tag-name';
import { updateRefs } from './update-refs';

/**
 * Tags a version on the timeline (`git tag`). A tag already on another
 * version moves only with `move: true` (`git tag -f`), so a name like v1.0
 * never changes meaning by accident.
 */
export async function tagVersion(store: Store, versionId: string, tag: string, options: { move?: boolean } = {}): Promise<void> {
  assertTagName(tag);
  const refs = await readRefState(store);
  if (!refs.timeline.has(versionId)) throw new VersionError('no-such-version', 'That version is not on the timeline (it may have been deleted).');
  const current = refs.tags.get(tag) ?? null;
  if (current === versionId) return;
  if (current !== null && !options.move) {
    throw new VersionError('tag-exists', `The tag “${tag}” is already on another version. Move it explicitly to put it here.`);
  }
  const name = tagRefName(tag);
  await updateRefs(store, { set: new Map([[name, versionId]]), expect: new Map([[name, current]]) });
}

/** Removes a tag (`git tag -d`); the version stays on the timeline. */
export async function untag(store: Store, tag: string): Promise<void> {
  const name = tagRefName(tag);
  const target = await store.getRef(name);
  if (target === undefined) throw new VersionError('no-such-tag', `There is no tag “${tag}”.`);
  await updateRefs(store, { remove: [name], expect: new Map([[name, target]]) });
}

/** Version id → its tags, in natural order ("v2.0" before "v10.0"). */
export async function tagsByVersion(store: Store): Promise<Map<string, string[]>> {
  return (await readRefState(store)).tagsByVersion;
}
