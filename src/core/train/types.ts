/** One training image: its content hash (the row key of the pixel cache) and its class index. */
export interface Example {
  sha256: string;
  /** Index into the sorted class names. */
  label: number;
}

/** Random numbers in [0, 1), from a seeded generator so every run can be replayed. */
export type Random = () => number;

export interface Augmentation {
  /** Mirror left–right with probability 1/2. */
  flip: boolean;
  /** Move by up to ±10 % of the image size on each axis, repeating the edge pixels. */
  shift: boolean;
}

/**
 * One row of the per-epoch table: the columns of the tutorial's metrics.csv.
 * A type alias (not an interface) so it is assignable to `Version.history`'s
 * `Record<string, number>`.
 */
export type HistoryRow = {
  /** 0-based, as Keras' CSVLogger writes it. */
  epoch: number;
  accuracy: number;
  loss: number;
  val_accuracy: number;
  val_loss: number;
};
