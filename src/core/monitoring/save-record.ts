import { objectId } from '../objects/object-id';
import type { MonitoringRecord } from '../objects/types';
import type { Store } from '../store';
import type { BatchPrediction } from './predict-batch';
import { monitoringRefName } from './ref-names';

export type RecordInput = Omit<MonitoringRecord, 'kind' | 'schema' | 'predictions'> & { predictions: BatchPrediction[] };

/**
 * Keeps a batch as a monitoring record of its version: the images first (blobs, deduplicated
 * like every file), then the record with its ref `monitoring/<version>/<id>` in one
 * transaction. Callers hold the store lock.
 */
export async function saveMonitoringRecord(store: Store, input: RecordInput, signal?: AbortSignal): Promise<{ id: string; record: MonitoringRecord }> {
  const { records } = await store.putBlobs(
    input.predictions.map((prediction) => prediction.bytes),
    { signal },
  );
  const record: MonitoringRecord = {
    kind: 'monitoring',
    schema: 1,
    ...input,
    predictions: input.predictions.map(({ bytes: _bytes, ...prediction }, i) => ({ ...prediction, sha256: records[i]!.sha256, size: records[i]!.size })),
  };
  const id = await objectId(record);
  await store.commit({ objects: [record], refs: new Map([[monitoringRefName(record.version, id), id]]) }, { signal });
  return { id, record };
}
