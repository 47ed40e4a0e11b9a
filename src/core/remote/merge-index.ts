import { emptyIndex, type RemoteIndex } from './remote-index';
import type { TagConflict } from './tag-conflict';

export interface PushedRecords {
  versions: readonly string[];
  tags: ReadonlyMap<string, string>;
  head: string | null;
  weights: ReadonlyMap<string, string>;
}

/**
 * The remote's index after a push: its versions, tags and weights kept, the
 * pushed ones added. A tag the remote already has on another version stays
 * (like `git push` refusing to move a tag) and is reported. HEAD follows the
 * pusher's HEAD when it was pushed.
 */
export function mergeIndex(remote: RemoteIndex | null, pushed: PushedRecords): { index: RemoteIndex; conflicts: TagConflict[] } {
  const base = remote ?? emptyIndex();
  const tags = new Map(base.tags);
  const conflicts: TagConflict[] = [];
  for (const [tag, id] of pushed.tags) {
    const existing = tags.get(tag);
    if (existing === undefined) tags.set(tag, id);
    else if (existing !== id) conflicts.push({ tag, kept: existing, other: id });
  }
  return {
    index: {
      ...base,
      versions: [...new Set([...base.versions, ...pushed.versions])],
      tags,
      head: pushed.head ?? base.head,
      weights: new Map([...base.weights, ...pushed.weights]),
    },
    conflicts,
  };
}
