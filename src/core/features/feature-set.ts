import { utf8Bytes } from '../hash/bytes';
import { sha256Hex } from '../hash/sha256';
import { canonicalJson } from '../objects/canonical-json';

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
