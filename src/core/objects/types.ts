/** Where an example belongs, taken from its folder (train/validation/test) or assigned later. */
export type Split = 'train' | 'validation' | 'test';

export const SPLITS: readonly Split[] = ['train', 'validation', 'test'];

/** The schema version every object kind is written with today. */
export const OBJECT_SCHEMA = 1;

export interface DatasetEntry {
  /** Relative to the tracked folder, "/"-separated, e.g. `train/cats/cat.1.jpg`. */
  path: string;
  sha256: string;
  md5: string;
  size: number;
  split: Split | null;
  label: string;
}

/** DVC's view of the tracked folder, as `dvc add` would record it in `<root>.dvc`. */
export interface DvcDirInfo {
  /** `<md5>.dir` */
  md5: string;
  size: number;
  nfiles: number;
}

export interface Dataset {
  kind: 'dataset';
  schema: 1;
  /** The tracked folder's name, e.g. "data". */
  root: string;
  /** Sorted by path in code-point order, paths unique. */
  entries: DatasetEntry[];
  dvc: DvcDirInfo;
}

/** What a backbone is (a pretrained image model whose inner layer gives features) and how to feed it. */
export interface PretrainedInfo {
  /** Shown in the page, e.g. "MobileNetV2, ImageNet weights (nsfwjs 4.4.0, MIT)". */
  name: string;
  /** tfjs' two model formats: `modelTopology` is a Keras model config or a TensorFlow graph. */
  format: 'layers-model' | 'graph-model';
  /** The pixel values it expects, [min, max]: [0, 1], [-1, 1] or [0, 255]. */
  inputRange: [number, number];
  /** The layer that gives features unless the user picks another. */
  layer: string;
}

/** Where a head's inputs come from: a backbone's layer, averaged over its positions when it has any. */
export interface FeatureSource {
  /** The backbone's model id. */
  backbone: string;
  layer: string;
  /** 'average': the layer gives a [h, w, c] map, averaged to c values (global average pooling); 'none': already a vector. */
  pooling: 'average' | 'none';
}

/**
 * A tfjs model in its own format, its weights kept as a blob (several weight
 * files are joined in manifest order). A backbone carries `pretrained`; the
 * head trained on its features carries `features`, which names it.
 */
export interface ModelRecord {
  kind: 'model';
  schema: 1;
  architecture: string;
  inputShape: number[];
  classNames: string[];
  modelTopology: unknown;
  weightSpecs: unknown[];
  /** sha256 of the weights blob. */
  weights: string;
  weightsSize: number;
  pretrained?: PretrainedInfo;
  features?: FeatureSource;
}

/** One point on the timeline. Immutable: tags are refs, not fields. */
export interface Version {
  kind: 'version';
  schema: 1;
  parent: string | null;
  dataset: string;
  model: string | null;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  /** Per-epoch rows, e.g. `{ epoch, accuracy, loss, val_accuracy, val_loss }`. */
  history: Record<string, number>[];
  message: string;
  /** ISO 8601. */
  createdAt: string;
  /** What produced the model (backend, adapter, app version, seed, duration). */
  run: Record<string, unknown> | null;
}

export type PawprintObject = Dataset | ModelRecord | Version;

export type ObjectKind = PawprintObject['kind'];

export type ObjectOfKind<K extends ObjectKind> = Extract<PawprintObject, { kind: K }>;

export const OBJECT_KINDS: readonly ObjectKind[] = ['dataset', 'model', 'version'];
