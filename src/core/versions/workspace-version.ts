import type { Version } from '../objects/types';

export interface WorkspaceVersionInput {
  parent: string | null;
  dataset: string;
  /** The run whose model, params, metrics, history and run record the version takes; null for a data-only version. */
  run: Version | null;
  message: string;
  createdAt: Date;
}

/** A version of the workspace: its data set, plus the model of a run when one is given. */
export function workspaceVersion({ parent, dataset, run, message, createdAt }: WorkspaceVersionInput): Version {
  return {
    kind: 'version',
    schema: 1,
    parent,
    dataset,
    model: run?.model ?? null,
    params: run?.params ?? {},
    metrics: run?.metrics ?? {},
    history: run?.history ?? [],
    message,
    createdAt: createdAt.toISOString(),
    run: run?.run ?? null,
  };
}
