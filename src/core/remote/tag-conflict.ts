/** A tag that names one version here and another there; the side that already had it keeps it. */
export interface TagConflict {
  tag: string;
  /** The version the tag keeps naming. */
  kept: string;
  /** The version the other side's tag names. */
  other: string;
}
