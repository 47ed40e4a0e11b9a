import type { Store } from '../store';
import { FEEDBACK_REF } from '../feedback/feedback-ref';
import { HEAD_REF, RUN_REF, STASH_REF_PREFIX, TAG_REF_PREFIX, VERSION_REF_PREFIX, WORKSPACE_REF } from './ref-names';

/** A version on the timeline and the refs that keep it there. */
export interface TimelineRefs {
  /** `versions/<id>` and/or `stash/<id>`. */
  refNames: string[];
  /** Kept only as a stash (uncommitted work put aside), not as a committed version. */
  stash: boolean;
}

/** All refs, read at one moment and sorted into what the versions core needs. */
export interface RefState {
  /** Every ref name → target; also what a guarded update expects to find unchanged. */
  targets: Map<string, string>;
  head: string | null;
  /** The workspace data set. */
  workspace: string | null;
  /** The last training result (a version object), committed or not. */
  run: string | null;
  /** The corrections ("Correct label") not yet committed: a feedback object. */
  feedback: string | null;
  /** Version id → its timeline refs. */
  timeline: Map<string, TimelineRefs>;
  /** Tag name → version id. */
  tags: Map<string, string>;
  /** Version id → its tags in natural order ("v2.0" before "v10.0"). */
  tagsByVersion: Map<string, string[]>;
}

export async function readRefState(store: Store): Promise<RefState> {
  const refs = await store.listRefs();
  const targets = new Map(refs.map(({ name, target }) => [name, target]));
  const timeline = new Map<string, TimelineRefs>();
  const tags = new Map<string, string>();
  for (const { name, target } of refs) {
    if (name.startsWith(TAG_REF_PREFIX)) tags.set(name.slice(TAG_REF_PREFIX.length), target);
    const isVersion = name.startsWith(VERSION_REF_PREFIX);
    if (!isVersion && !name.startsWith(STASH_REF_PREFIX)) continue;
    const entry = timeline.get(target) ?? { refNames: [], stash: true };
    entry.refNames.push(name);
    entry.stash &&= !isVersion;
    timeline.set(target, entry);
  }
  return {
    targets,
    head: targets.get(HEAD_REF) ?? null,
    workspace: targets.get(WORKSPACE_REF) ?? null,
    run: targets.get(RUN_REF) ?? null,
    feedback: targets.get(FEEDBACK_REF) ?? null,
    timeline,
    tags,
    tagsByVersion: groupTags(tags),
  };
}

/** HEAD, the workspace, the last run and the corrections as `refs` read them: what an update of the work expects unchanged. */
export function workRefsAsRead(refs: RefState): Map<string, string | null> {
  return new Map([
    [HEAD_REF, refs.head],
    [WORKSPACE_REF, refs.workspace],
    [RUN_REF, refs.run],
    [FEEDBACK_REF, refs.feedback],
  ]);
}

const naturalOrder = new Intl.Collator('en', { numeric: true }).compare;

function groupTags(tags: Map<string, string>): Map<string, string[]> {
  const byVersion = new Map<string, string[]>();
  for (const [tag, versionId] of tags) byVersion.set(versionId, [...(byVersion.get(versionId) ?? []), tag]);
  for (const list of byVersion.values()) list.sort(naturalOrder);
  return byVersion;
}
