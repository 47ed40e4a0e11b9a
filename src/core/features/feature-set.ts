import { utf8Bytes } from '../hash/bytes';
import { sha256Hex } from '../hash/sha256';
import { canonicalJson } from '../objects/canonical-json';
import type { FeatureSource, ModelRecord } from '../objects/types';

/** What one image's features depend on besides its bytes. */
export interface FeatureSet {
  /** The backbone's model id. */
  backbone: string;
  layer: string;
  /** The side the images are resized to before the backbone sees them. */
  size: number;
}

/** The key of a feature set's rows in the cache (layer names may hold any character, so it is a hash). */
export function featureSetId(set: FeatureSet): Promise<string> {
  return sha256Hex(utf8Bytes(canonicalJson({ backbone: set.backbone, layer: set.layer, size: set.size })));
}

/** The input side used when a graph model leaves it open. */
export const DEFAULT_BACKBONE_SIZE = 224;

/**
 * The sides a backbone may be fed. Too small a side for its layers is refused when it is
 * loaded (a MobileNet halves its map five times, so it needs 32 px); past 512 px an
 * image costs more than it can add.
 */
export const FEATURE_SIZE_RANGE = [1, 512] as const;

/** The side a backbone was built for. */
export function ownSize(backbone: Pick<ModelRecord, 'inputShape'>): number {
  return backbone.inputShape[0] ?? DEFAULT_BACKBONE_SIZE;
}

/**
 * Whether the backbone can take other sides than its own: a Keras model runs as convolutions
 * that take any side (up to its feature layer), a graph model checks the side it was converted with.
 */
export function resizable(backbone: Pick<ModelRecord, 'pretrained'>): boolean {
  return backbone.pretrained?.format === 'layers-model';
}

/** The side a head's features come from: the one it records, or, for heads from before the side was a choice, the backbone's own. */
export function featureSize(features: Pick<FeatureSource, 'size'>, backbone: Pick<ModelRecord, 'inputShape'>): number {
  return features.size ?? ownSize(backbone);
}
