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
  /** The side of the square images the backbone was fed; absent in heads from before it was a choice (then the backbone's own). */
  size?: number;
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
  /**
   * The acceptance rule in force when the version was committed: what promoting its model to
   * production is checked against. Absent in versions made before rules were recorded (and in runs).
   */
  acceptance?: AcceptanceRule;
  /** The files that came from "Correct label" since the parent; absent when none did. */
  feedback?: FeedbackItem[];
}

/** A model passes when its metric meets the threshold, e.g. val_accuracy ≥ 0.8. */
export interface AcceptanceRule {
  metric: 'val_accuracy' | 'val_loss' | 'accuracy' | 'loss';
  op: '>=' | '<=';
  threshold: number;
}

export const ACCEPTANCE_METRICS: readonly AcceptanceRule['metric'][] = ['val_accuracy', 'val_loss', 'accuracy', 'loss'];

/**
 * A stage assignment of a version's model, GTO's annotated tag `<artifact>#<stage>#<number>`
 * (`…#<stage>!#<number>` to take it out of the stage). Immutable like a version: the
 * registry is the history of these, and a stage's current version is its latest assignment.
 */
export interface Assignment {
  kind: 'assignment';
  schema: 1;
  /** GTO's artifact name; Pawprint registers one, "model". */
  artifact: string;
  stage: string;
  /** GTO's counter: one more than the highest of any assignment of the artifact so far. */
  number: number;
  action: 'assign' | 'unassign';
  /** The version whose model is put in (or taken out of) the stage: history, not ownership. */
  version: string;
  message: string;
  /** ISO 8601. */
  createdAt: string;
  /** The version's acceptance rule as checked, with its figure; null when none was checked (unassign). */
  acceptance: AcceptanceCheck | null;
  /** The reason written to promote a model that failed its rule; null when it passed (or was not checked). */
  override: string | null;
}

export interface AcceptanceCheck {
  rule: AcceptanceRule;
  /** The version's figure for the rule's metric; null when it has none. */
  value: number | null;
  pass: boolean;
}

/** One image of a monitoring batch and what the model said of it. */
export interface MonitoredPrediction {
  /** The file's path in what was dropped. */
  name: string;
  /** Its bytes, kept as a blob: the thumbnail, and what "Correct label" adds to the workspace. */
  sha256: string;
  /** Its size in bytes (what the record holds in storage). */
  size: number;
  /** The class its folder names (a labelled drop), else null. */
  label: string | null;
  /** Index into the record's classNames. */
  predicted: number;
  /** Softmax output, one per class. */
  probabilities: number[];
  /** Decode, preprocess, predict and read back, for this image alone (ms). */
  latencyMs: number;
}

/** A file of a monitoring batch that could not be used, and why. */
export interface MonitoringError {
  name: string;
  reason: string;
}

/**
 * A batch of images predicted by a version's model ("Batch predict"): kept as a monitoring
 * record of that version under `monitoring/<version>/<id>`, deleted with the version.
 */
export interface MonitoringRecord {
  kind: 'monitoring';
  schema: 1;
  version: string;
  model: string;
  /** What was dropped, as the user knows it: "unlabelled.zip", "shots/", "3 images". */
  name: string;
  /** ISO 8601. */
  createdAt: string;
  backend: string;
  classNames: string[];
  predictions: MonitoredPrediction[];
  errors: MonitoringError[];
  /** Wall time of the whole batch, from the first read to the last prediction (ms). */
  durationMs: number;
}

/** Where a corrected label was given: a monitoring batch, "Classify an image", or the most confident mistakes. */
export type FeedbackSource = 'batch' | 'classify' | 'mistakes';

export const FEEDBACK_SOURCES: readonly FeedbackSource[] = ['batch', 'classify', 'mistakes'];

/** An image the user gave its right label ("Correct label"), and where it now is in the data set. */
export interface FeedbackItem {
  sha256: string;
  /** Its path in the workspace data set. */
  path: string;
  label: string;
  source: FeedbackSource;
  /** The monitoring record it came from; null unless `source` is 'batch'. */
  record: string | null;
  /** That batch's name, for the page; null unless `source` is 'batch'. */
  batch: string | null;
}

/** The corrections not yet committed, under the ref `workspace-feedback`. */
export interface FeedbackList {
  kind: 'feedback';
  schema: 1;
  items: FeedbackItem[];
}

export type PawprintObject = Dataset | ModelRecord | Version | Assignment | MonitoringRecord | FeedbackList;

export type ObjectKind = PawprintObject['kind'];

export type ObjectOfKind<K extends ObjectKind> = Extract<PawprintObject, { kind: K }>;

export const OBJECT_KINDS: readonly ObjectKind[] = ['dataset', 'model', 'version', 'assignment', 'monitoring', 'feedback'];
