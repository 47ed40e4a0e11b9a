import { featureSetId, featureSize } from '../features/feature-set';
import { utf8Bytes } from '../hash/bytes';
import type { Dataset, ModelRecord, Version } from '../objects/types';
import type { Store } from '../store';
import { VersionError } from '../versions/errors';
import { npyFloat32 } from './npy';

/**
 * bottleneck/ of a pretrained-features project: the features the page trained
 * on, as features.py reads them — features.npy (float32, one row per image of
 * the data set that has features, in data set order), images.txt (each row's
 * image sha256) and backbone.json (which backbone, layer and input made them).
 * The rows come from the feature cache; when it no longer holds them all
 * (derived data may be dropped), the export is refused with the way forward.
 */
export interface BottleneckFolder {
  files: Map<string, Uint8Array>;
  /** Each image's row, by sha256: what features.py takes per split. */
  rows: ReadonlyMap<string, Float32Array>;
}

export async function bottleneckFolder(store: Store, version: Version, dataset: Dataset, head: ModelRecord): Promise<BottleneckFolder> {
  const features = head.features!;
  const backbone = await store.getObject(features.backbone, 'model');
  const size = featureSize(features, backbone);
  const shas = [...new Set(dataset.entries.map((entry) => entry.sha256))];
  const rows = await store.getFeatures(await featureSetId({ backbone: features.backbone, layer: features.layer, size }), shas);
  const cache = version.run?.['featureCache'] as { computed: number; cached: number } | undefined;
  const trainedOn = cache ? cache.computed + cache.cached : shas.length;
  if (rows.size < trainedOn) {
    throw new VersionError(
      'no-features',
      `The features of ${trainedOn - rows.size} of this version's images are no longer in the feature cache: check the version out and press Train anyway to compute them again, then download the project.`,
    );
  }
  const ordered = shas.filter((sha) => rows.has(sha));
  const dims = head.inputShape[0]!;
  const matrix = new Float32Array(ordered.length * dims);
  ordered.forEach((sha, i) => matrix.set(rows.get(sha)!, i * dims));
  const about = {
    backbone: { id: features.backbone, name: backbone.pretrained?.name ?? backbone.architecture, inputSize: size, inputRange: backbone.pretrained?.inputRange },
    layer: features.layer,
    pooling: features.pooling,
    features: dims,
    images: ordered.length,
    preprocessing: `RGB, [0,1], resized to ${size}×${size} by squashing, transparent pixels over white`,
  };
  const files = new Map([
    ['backbone.json', utf8Bytes(`${JSON.stringify(about, null, 2)}\n`)],
    ['features.npy', npyFloat32(matrix, [ordered.length, dims])],
    ['images.txt', utf8Bytes(ordered.map((sha) => `${sha}\n`).join(''))],
  ]);
  return { files, rows };
}
