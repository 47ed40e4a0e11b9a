import type { AcceptanceRule, FeedbackItem, Version } from '../objects/types';

export interface WorkspaceVersionInput {
  parent: string | null;
  dataset: string;
  /** The run whose model, params, metrics, history and run record the version takes; null for a data-only version. */
  run: Version | null;
  message: string;
  createdAt: Date;
  /** Recorded when given (a version with a model). */
  acceptance?: AcceptanceRule | undefined;
  /** Recorded when not empty. */
  feedback?: FeedbackItem[];
}

/** A version of the workspace: its data set, plus the model of a run when one is given. */
export function workspaceVersion({ parent, dataset, run, message, createdAt, acceptance, feedback = [] }: WorkspaceVersionInput): Version {
  const version: Version = {
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
  // Absent rather than empty: versions without them keep the ids they always had.
  if (acceptance !== undefined) version.acceptance = { ...acceptance };
  if (feedback.length > 0) version.feedback = feedback.map((item) => ({ ...item }));
  return version;
}
