import type { Split } from '../objects/types';

/** What validation needs to know about one stored file. */
export interface ValidationEntry {
  /** Relpath in the data set. */
  path: string;
  sha256: string;
  size: number;
  split: Split | null;
  label: string | null;
  width?: number;
  height?: number;
  /** Set when the image could not be decoded. */
  decodeError?: string;
}

export type FindingKind =
  | 'undecodable'
  | 'label-conflict'
  | 'leakage'
  | 'duplicate'
  | 'imbalance'
  | 'small-class'
  | 'single-class'
  | 'size-spread';

/**
 * One observation of the validation report. `error`: training cannot give a
 * trustworthy model until it is fixed; `warning`: results will be worse or
 * misleading; `info`: worth knowing.
 */
export interface Finding {
  kind: FindingKind;
  severity: 'error' | 'warning' | 'info';
  /** A plain sentence for the user. */
  message: string;
  /** The files concerned; with fix 'exclude', excluding exactly these resolves it. */
  paths: string[];
  /** The suggested fix, if one applies. */
  fix: 'exclude' | 'keep' | null;
}

/** How a split is named in sentences. */
export function splitName(split: Split | null): string {
  return split ?? 'the images without a split folder';
}
