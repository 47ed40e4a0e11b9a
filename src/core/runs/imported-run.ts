import type { DvcDirInfo } from '../objects/types';

/**
 * `Version.run` of a model brought in by "Import model" rather than trained
 * here. It names no `appVersion` on purpose: the run-cache reuses runs by
 * (data set, params, app version), and an imported model was not trained on
 * the workspace data set it is recorded with.
 */
export interface ImportedRun {
  imported: true;
  /** The version id metadata.json names: where the model was committed (or trained) before. */
  from: string;
  message: string;
  createdAt: string;
  /** The Pawprint that trained it, as metadata.json says. */
  trainedBy: string | null;
  /** The data set it was trained on. */
  dataset: { id: string; dvc: DvcDirInfo };
  /** True when that is the workspace data set it was imported onto. */
  sameDataset: boolean;
  classNames: string[];
}

/** The run record when it says the model was imported, else null. */
export function importedRunOf(run: Record<string, unknown> | null): ImportedRun | null {
  return run?.['imported'] === true ? (run as unknown as ImportedRun) : null;
}
