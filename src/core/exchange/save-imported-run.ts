import { readWorkspace } from '../dataset/workspace';
import { compareCodePoints } from '../hash/compare-code-points';
import type { ModelRecord } from '../objects/types';
import type { ImportedRun } from '../runs/imported-run';
import { storeRun, type SavedRun } from '../runs/save-run';
import type { Store } from '../store';
import { classNamesOf } from '../train/split';
import { HEAD_REF } from '../versions/ref-names';
import type { ModelMetadata } from './model-metadata';
import { ModelImportError } from './model-import-error';
import type { ParsedModelJson } from './parse-model-json';

export interface VerifiedModelFiles {
  modelJson: ParsedModelJson;
  weights: Uint8Array;
  metadata: ModelMetadata;
}

/**
 * Makes verified model files the last run on the workspace data set, as a
 * training run would be stored: the weights blob, then the model object and
 * the run version with the `workspace-run` ref in one transaction. Refused
 * (nothing stored) when the workspace's classes are not the model's labels:
 * Classify would name classes the data does not have, and a commit would
 * record a model with data it cannot classify.
 */
export async function saveImportedRun(store: Store, { modelJson, weights, metadata }: VerifiedModelFiles): Promise<SavedRun> {
  const workspace = await readWorkspace(store);
  const labels = metadata.labels.join(', ');
  if (!workspace.id || !workspace.dataset || workspace.dataset.entries.length === 0) {
    throw new ModelImportError('no-data', `The workspace has no images: add the data the model was trained on (classes ${labels}) first, then import the model.`);
  }
  const classes = classNamesOf(workspace.dataset.entries);
  // Compared name by name: a folder name may hold any character, the separator of a joined list too.
  const sorted = [...metadata.labels].sort(compareCodePoints);
  if (classes.length !== sorted.length || classes.some((name, i) => name !== sorted[i])) {
    throw new ModelImportError(
      'label-mismatch',
      `The model’s labels (${labels}) are not the workspace’s classes (${classes.join(', ')}): add the data it was trained on, so that Classify and Commit speak of the same classes.`,
    );
  }
  const run: ImportedRun = {
    imported: true,
    from: metadata.version.id,
    message: metadata.version.message,
    createdAt: metadata.version.createdAt,
    trainedBy: metadata.appVersion,
    dataset: { id: metadata.dataset.id, dvc: { ...metadata.dataset.dvc } },
    sameDataset: metadata.dataset.id === workspace.id,
    classNames: [...metadata.labels],
  };
  const parent = (await store.getRef(HEAD_REF)) ?? null;
  const model: Omit<ModelRecord, 'weights' | 'weightsSize'> = {
    kind: 'model',
    schema: 1,
    architecture: metadata.architecture,
    inputShape: [...metadata.inputShape],
    classNames: [...metadata.labels],
    modelTopology: modelJson.modelTopology,
    weightSpecs: modelJson.weightSpecs,
  };
  return storeRun(store, weights, model, {
    kind: 'version',
    schema: 1,
    parent,
    dataset: workspace.id,
    params: metadata.params,
    metrics: metadata.metrics,
    // Per-epoch figures do not travel in metadata.json; its final metrics do.
    history: [],
    message: '',
    createdAt: new Date().toISOString(),
    run: run as unknown as Record<string, unknown>,
  });
}
