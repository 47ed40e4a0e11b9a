import { DatasetEditError, labelProblem } from '../dataset/edit';
import { DEFAULT_ROOT } from '../dataset/placement';
import { commitWorkspace, readWorkspace } from '../dataset/workspace';
import { buildDataset } from '../objects/build-dataset';
import { objectId } from '../objects/object-id';
import type { DatasetEntry, FeedbackItem, FeedbackList, FeedbackSource, Split } from '../objects/types';
import type { Store } from '../store';
import { FEEDBACK_REF } from './feedback-ref';
import { feedbackIn, readFeedback } from './pending-feedback';

export interface CorrectLabelInput {
  /** The image, stored already (a batch's, a validation image) or just now (a classified file). */
  sha256: string;
  /** Its file name, for a new entry: `<split>/<label>/<name>`. */
  name: string;
  label: string;
  /** Default: the split it has in the data set, else train. */
  split?: Split;
  source: FeedbackSource;
  /** The monitoring record and batch name, for a batch's image. */
  record?: string;
  batch?: string;
}

export interface CorrectedLabel {
  /** Where the image now is in the workspace. */
  path: string;
  /** True when it was added; false when an entry with its content was moved to the label. */
  added: boolean;
  /** Corrections now in the workspace, not yet committed. */
  pending: number;
}

/**
 * "Correct label": the image joins the workspace under the right class, marked as feedback.
 * An image already in the data set (a mistake on a validation image, a batch image that was
 * imported) is moved to the class folder (and split, when one is chosen) rather than added
 * twice. The data set and the feedback list are written with their refs in one transaction;
 * callers hold the store lock.
 */
export async function correctLabel(store: Store, input: CorrectLabelInput): Promise<CorrectedLabel> {
  const problem = labelProblem(input.label);
  if (problem) throw new DatasetEditError(problem);
  const blob = await store.getBlobRecord(input.sha256);
  if (blob === undefined) throw new DatasetEditError('That image is no longer stored, so it cannot be added to the data set.');
  const workspace = await readWorkspace(store);
  const entries = workspace.dataset?.entries ?? [];
  const same = entries.filter((entry) => entry.sha256 === input.sha256);
  const taken = new Set(entries.filter((entry) => entry.sha256 !== input.sha256).map((entry) => entry.path));

  // Copies of the image that land on one path (a split was chosen) become one entry.
  const moved = [
    ...new Map(
      same.map((entry) => {
        const split = input.split ?? entry.split;
        const path = placedPath(split, input.label, baseName(entry.path), input.sha256, taken);
        return [path, { ...entry, label: input.label, split, path }];
      }),
    ).values(),
  ];
  const placed: DatasetEntry[] =
    moved.length > 0
      ? moved
      : [{ path: placedPath(input.split ?? 'train', input.label, safeName(input.name), input.sha256, taken), sha256: blob.sha256, md5: blob.md5, size: blob.size, split: input.split ?? 'train', label: input.label }];
  const dataset = await buildDataset(workspace.dataset?.root ?? DEFAULT_ROOT, [...entries.filter((entry) => entry.sha256 !== input.sha256), ...placed]);

  const item: Omit<FeedbackItem, 'path'> = {
    sha256: input.sha256,
    label: input.label,
    source: input.source,
    record: input.source === 'batch' ? (input.record ?? null) : null,
    batch: input.source === 'batch' ? (input.batch ?? null) : null,
  };
  const earlier = (await readFeedback(store)).filter((old) => old.sha256 !== input.sha256);
  const feedback: FeedbackList = { kind: 'feedback', schema: 1, items: feedbackIn([...earlier, ...placed.map((entry) => ({ ...item, path: entry.path }))], dataset.entries) };
  const [datasetId, feedbackId] = await Promise.all([objectId(dataset), objectId(feedback)]);
  await commitWorkspace(store, { id: datasetId, dataset }, { objects: [feedback], refs: new Map([[FEEDBACK_REF, feedbackId]]) });
  return { path: placed[0]!.path, added: moved.length === 0, pending: feedback.items.length };
}

/** `<split>/<label>/<name>`; a name taken by another file gets the image's short hash: `x-1a2b3c4d.png`. */
function placedPath(split: Split | null, label: string, name: string, sha256: string, taken: ReadonlySet<string>): string {
  const folder = split === null ? label : `${split}/${label}`;
  const path = `${folder}/${name}`;
  if (!taken.has(path)) return path;
  const dot = name.lastIndexOf('.');
  const [stem, extension] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${folder}/${stem}-${sha256.slice(0, 8)}${extension}`;
}

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** A file name that is one path segment: the last part of what was dropped, never "." or "..". */
function safeName(name: string): string {
  const base = baseName(name.replaceAll('\\', '/')).replace(/[\u0000-\u001f\u007f]/g, '');
  return base === '' || base === '.' || base === '..' ? 'image' : base;
}
