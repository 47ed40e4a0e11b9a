import { FEEDBACK_REF } from '../feedback/feedback-ref';
import { workspaceFeedback } from '../feedback/pending-feedback';
import { canonicalJson } from '../objects/canonical-json';
import { objectId } from '../objects/object-id';
import type { AcceptanceRule, Version } from '../objects/types';
import type { Store } from '../store';
import { VersionError } from './errors';
import { requireMessage } from './message';
import { runOnWorkspace } from './model-state';
import { HEAD_REF, RUN_REF, tagRefName, versionRefName, WORKSPACE_REF } from './ref-names';
import { readRefState, workRefsAsRead } from './ref-state';
import { assertTagName } from './tag-name';
import { updateRefs } from './update-refs';
import { workspaceVersion } from './workspace-version';

export interface CommitVersionInput {
  message: string;
  /** Optional, e.g. "v1.0"; must be new (an existing tag is moved only explicitly, with tagVersion). */
  tag?: string;
  /** Include the last run's model; default: when it trained on the workspace data set. */
  includeModel?: boolean;
  /** The acceptance rule the page shows: recorded with a model, it gates the version's promotion to production. */
  acceptance?: AcceptanceRule;
  now?: Date;
  signal?: AbortSignal;
}

export interface CommittedVersion {
  id: string;
  version: Version;
}

/**
 * `git commit` + `dvc commit`: makes a version of the workspace data set and
 * (when it trained on that data set) the last run's model, params, metrics
 * and history, with HEAD as its parent, the acceptance rule given (with a
 * model) and the corrections ("Correct label") its files hold. One
 * transaction writes the version, its timeline ref, HEAD and the tag, and
 * clears the corrections; the last run ref then names the committed version.
 * Any refusal (VersionError) changes nothing.
 */
export async function commitVersion(store: Store, input: CommitVersionInput): Promise<CommittedVersion> {
  const message = requireMessage(input.message, 'Write a message that says what this version is, e.g. “First model, trained with 1000 images”.');
  const tag = input.tag?.trim() || null;
  if (tag !== null) assertTagName(tag);

  const refs = await readRefState(store);
  if (refs.workspace === null) throw new VersionError('no-data', 'There is no data set to commit yet: add images first.');
  if (tag !== null && refs.tags.has(tag)) {
    throw new VersionError(
      'tag-exists',
      `The tag “${tag}” is already on another version, and tags are moved only explicitly: commit without it and then move it, or pick another name.`,
    );
  }
  const versions = await store.getObjects([refs.head, refs.run], 'version');
  const head = refs.head === null ? null : versions.get(refs.head)!;
  const run = refs.run === null ? null : versions.get(refs.run)!;
  const matchingRun = runOnWorkspace(run, refs.workspace);
  const includeModel = input.includeModel ?? matchingRun !== null;
  if (includeModel && run?.model == null) {
    throw new VersionError('no-model', 'There is no trained model to commit: train one, or commit the data alone.');
  }
  if (includeModel && matchingRun === null) {
    throw new VersionError(
      'stale-model',
      'The model was trained on a different data set than the one in the workspace: train again, or commit the data alone.',
    );
  }

  const version = workspaceVersion({
    parent: refs.head,
    dataset: refs.workspace,
    run: includeModel ? matchingRun : null,
    message,
    createdAt: input.now ?? new Date(),
    acceptance: includeModel ? input.acceptance : undefined,
    feedback: await workspaceFeedback(store, refs.feedback, refs.workspace),
  });
  if (head !== null && sameContent(head, version)) {
    const tags = refs.tagsByVersion.get(refs.head!) ?? [];
    const name = `“${head.message}”${tags.length > 0 ? ` (${tags.join(', ')})` : ''}`;
    throw new VersionError(
      'nothing-to-commit',
      `Nothing to commit: the data set${version.model ? ' and model are' : ' is'} the same as in the checked-out version ${name}, ` +
        'committed here or in another tab. To name it differently, tag that version.',
    );
  }
  const id = await objectId(version);
  const set = new Map([
    [versionRefName(id), id],
    [HEAD_REF, id],
  ]);
  if (tag !== null) set.set(tagRefName(tag), id);
  // The run is committed now: naming the version keeps one record of it (the uncommitted run object is left to gc).
  if (includeModel) set.set(RUN_REF, id);
  const expect = workRefsAsRead(refs);
  if (tag !== null) expect.set(tagRefName(tag), null);
  await updateRefs(store, { versions: [version], set, remove: refs.feedback === null ? [] : [FEEDBACK_REF], expect }, { signal: input.signal });
  return { id, version };
}

/**
 * Same data, model, params and results: only the message, date, parent and
 * acceptance rule would differ. As in git, a new message alone is no new
 * version; and two tabs committing the same work one after the other (the
 * second reads the first's HEAD under the store lock) make one version.
 */
function sameContent(a: Version, b: Version): boolean {
  const content = ({ acceptance: _acceptance, ...version }: Version) => canonicalJson({ ...version, parent: null, createdAt: '', message: '' });
  return content(a) === content(b);
}
