import { sha256Hex } from '../hash/sha256';
import type { Store } from '../store';
import { backboneRecord, listBackbones, readBackbone, storeBackbone, type StoredBackbone } from './backbones';
import { BUNDLED_BACKBONE, loadBundledBackbone, type BackboneFiles } from './bundled-backbone';
import { featureLayers } from './feature-layers';
import { ownSize, resizable } from './feature-set';

/** A backbone as the Model choice offers it: its id (what params name) and what to show. */
export interface BackboneChoice {
  id: string;
  name: string;
  /** The feature layer used when the user picks none (one layer, or several joined by "+"). */
  layer: string;
  /** Every layer that can give features, in model order. */
  layers: string[];
  /** The image size used when the user sets none. */
  size: number;
  /** Whether other image sizes can be chosen (else `size` it is). */
  resizable: boolean;
}

let bundled: Promise<{ files: BackboneFiles; stored: StoredBackbone }> | null = null;

/** Loads the bundled backbone once per worker (its lazy chunk, then one hash of its weights). */
function bundledFiles(): Promise<{ files: BackboneFiles; stored: StoredBackbone }> {
  bundled ??= loadBundledBackbone().then(async (files) => ({ files, stored: await backboneRecord(files, await sha256Hex(files.weights)) }));
  bundled.catch(() => (bundled = null)); // a failed load may be retried
  return bundled;
}

/** The backbones a run can use: the bundled one first, then those imported into this store. */
export async function backboneChoices(store: Store): Promise<BackboneChoice[]> {
  const [{ stored }, kept] = await Promise.all([bundledFiles(), listBackbones(store)]);
  return [{ ...choiceOf(stored), layer: BUNDLED_BACKBONE.featureLayer, size: BUNDLED_BACKBONE.size }, ...kept.filter(({ id }) => id !== stored.id).map(choiceOf)];
}

function choiceOf({ id, record }: StoredBackbone): BackboneChoice {
  const { name, layer } = record.pretrained;
  return { id, name, layer, layers: featureLayers(record.modelTopology), size: ownSize(record), resizable: resizable(record) };
}

/**
 * The backbone a run names, with its weights: the bundled one (stored, under
 * the lock, the first time a run uses it, so versions and pushes carry it
 * like any model) or one imported earlier.
 */
export async function backboneFor(store: Store, id: string): Promise<{ record: StoredBackbone['record']; weights: Uint8Array }> {
  const own = await bundledFiles().catch(() => null);
  if (own?.stored.id === id) {
    if (!(await store.hasObject(id))) await store.underLock((locked) => storeBackbone(locked, own.files));
    return { record: own.stored.record, weights: own.files.weights };
  }
  return readBackbone(store, id);
}
