import type { DatasetEntry, FeedbackItem } from '../objects/types';
import type { Store } from '../store';
import { FEEDBACK_REF } from './feedback-ref';

/**
 * The corrections still in these files: an item counts while its image is at the path it was
 * given, with its content (a later edit that moves or removes it drops it, as it drops the file).
 */
export function feedbackIn(items: readonly FeedbackItem[], entries: readonly DatasetEntry[]): FeedbackItem[] {
  const byPath = new Map(entries.map((entry) => [entry.path, entry.sha256]));
  return items.filter((item) => byPath.get(item.path) === item.sha256);
}

/** Every correction recorded under the feedback ref (none when there is no ref). */
export async function readFeedback(store: Store, feedbackId?: string | null): Promise<FeedbackItem[]> {
  const id = feedbackId === undefined ? await store.getRef(FEEDBACK_REF) : feedbackId;
  return id ? (await store.getObject(id, 'feedback')).items : [];
}

/** The corrections the data set `datasetId` holds (none without a feedback ref): what a version made of it records. */
export async function workspaceFeedback(store: Store, feedbackId: string | null, datasetId: string | null): Promise<FeedbackItem[]> {
  if (feedbackId === null || datasetId === null) return [];
  const [items, dataset] = await Promise.all([readFeedback(store, feedbackId), store.getObject(datasetId, 'dataset')]);
  return feedbackIn(items, dataset.entries);
}
