import { objectId } from '../objects/object-id';
import type { ModelRecord } from '../objects/types';
import type { Store } from '../store';
import { BACKBONE_REF_PREFIX, backboneRefName } from '../versions/ref-names';
import type { BackboneFiles } from './bundled-backbone';


/** A stored backbone: its record (with `pretrained`) under its model id. */
export interface StoredBackbone {
  id: string;
  record: ModelRecord & Required<Pick<ModelRecord, 'pretrained'>>;
}

/** The model record and id a backbone's files give once their weights are stored (the weights' sha256 named). */
export async function backboneRecord(files: BackboneFiles, weightsSha256: string): Promise<StoredBackbone> {
  const record = { ...files.record, weights: weightsSha256, weightsSize: files.weights.byteLength };
  return { id: await objectId(record), record };
}

/**
 * Stores a backbone like any model — weights blob first, then the record with
 * its `backbones/<id>` ref in one transaction — and returns its id. Storing
 * the same backbone again adds nothing (content-addressed); weights it stored
 * are taken back when the record cannot be written. Call under the store lock
 * (`store.underLock`), so gc cannot take the blob before the commit.
 */
export async function storeBackbone(store: Store, files: BackboneFiles): Promise<StoredBackbone> {
  const { record: blob, stored: isNew } = await store.putBlob(files.weights, { type: 'application/octet-stream' });
  const stored = await backboneRecord(files, blob.sha256);
  try {
    await store.commit({ objects: [stored.record], refs: new Map([[backboneRefName(stored.id), stored.id]]) });
  } catch (error) {
    // The record could not be written (quota): weights no record names would stay until a Clean up.
    if (isNew) await store.discardBlobs([blob.sha256]);
    throw error;
  }
  return stored;
}

/** A stored backbone's record and weight bytes; throws when `id` is not a backbone. */
export async function readBackbone(store: Store, id: string): Promise<{ record: StoredBackbone['record']; weights: Uint8Array }> {
  const record = await store.getObject(id, 'model');
  if (!record.pretrained) throw new Error(`Model ${id.slice(0, 12)} is not a backbone.`);
  const weights = new Uint8Array(await (await store.getBlob(record.weights)).arrayBuffer());
  return { record: record as StoredBackbone['record'], weights };
}

/** Every backbone kept in this store, by id. */
export async function listBackbones(store: Store): Promise<StoredBackbone[]> {
  const refs = await store.listRefs(BACKBONE_REF_PREFIX);
  return Promise.all(
    refs.map(async ({ target }) => ({ id: target, record: (await store.getObject(target, 'model')) as StoredBackbone['record'] })),
  );
}
