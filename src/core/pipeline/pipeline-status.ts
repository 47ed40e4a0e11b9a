import type { Artifact, PipelineFacts, PipelineView, StageState, StageView } from './types';
import { describeDataChange, describeParamChanges, paramName } from './describe-change';

/** The params the preprocess stage depends on: the image size, and for features the backbone and its layer. */
const PREPROCESS_PARAMS = { 'reference-convnet': ['imageSize'], 'pretrained-features': ['backbone', 'featureLayer', 'imageSize'] } as const;

interface Status {
  state: StageState;
  status: string;
}

const UP_TO_DATE: Status = { state: 'up-to-date', status: 'up to date' };
const NOT_RUN: Status = { state: 'not-run', status: 'not run' };
const changed = (reasons: string[]): Status => ({ state: 'changed', status: `changed: ${reasons.join('; ')}` });

/**
 * `dvc status` of the page's pipeline — import → validate → preprocess →
 * train → evaluate — from what is stored: each stage's deps and outs, and
 * whether its outputs were made from the current inputs. The last run is the
 * lock (what was run): a train whose data set or params differ from the
 * workspace's and the form's is changed, and so is every stage after it.
 * A stage is stale when it is not up to date; Reproduce runs those in order.
 */
export function pipelineStatus(facts: PipelineFacts): PipelineView {
  const { workspace, params, run } = facts;
  const data: Artifact = workspace ? { path: 'data', hash: workspace.dvc.md5, size: workspace.dvc.size, nfiles: workspace.dvc.nfiles } : { path: 'data', hash: null, size: null };
  const pretrained = params.architecture === 'pretrained-features';
  const preprocessKeys = PREPROCESS_PARAMS[params.architecture];
  const pixelCache = facts.pixelCaches.find((cache) => cache.size === params.imageSize);
  const preprocessOut: Artifact = pretrained
    ? { path: `features/${params.featureLayer ?? ''}`, hash: null, size: null }
    : { path: `pixels/${params.imageSize}`, hash: pixelCache && workspace ? workspace.id : null, size: pixelCache?.bytes ?? null };
  const paramArtifact = (keys: readonly string[]): Artifact => ({ path: `params.yaml: ${keys.map(paramName).join(', ')}`, hash: null, size: null });

  const importStatus = workspace ? UP_TO_DATE : NOT_RUN;
  const validateStatus = !workspace || facts.checkedDatasetId === null ? NOT_RUN : facts.checkedDatasetId === workspace.id ? UP_TO_DATE : changed(['data']);

  // The last run is the lock of train and evaluate, and of preprocess for features (computed while training).
  const dataMoved = run !== null && workspace !== null && run.datasetId !== workspace.id;
  const dataReason = dataMoved ? `data (${describeDataChange(facts.dataChanges)})` : null;
  const paramReason = (keys?: readonly string[]) => {
    const text = run ? describeParamChanges(run.params, params as unknown as Record<string, unknown>, keys) : '';
    return text ? `params (${text})` : null;
  };
  const reasons = (...list: (string | null)[]) => list.filter((reason): reason is string => reason !== null);

  // The pixel cache is derived data: present, it is up to date whatever made it; absent, the last run says why.
  let preprocessStatus: Status;
  const preprocessWhy = reasons(dataReason, paramReason(preprocessKeys));
  if (!workspace) preprocessStatus = NOT_RUN;
  else if (!pretrained && pixelCache) preprocessStatus = UP_TO_DATE;
  else if (!run || !run.model) preprocessStatus = NOT_RUN;
  else if (preprocessWhy.length) preprocessStatus = changed(preprocessWhy);
  else preprocessStatus = pretrained ? UP_TO_DATE : changed([`deleted ${preprocessOut.path}`]);

  let trainStatus: Status;
  if (!workspace || !run || !run.model) trainStatus = NOT_RUN;
  else if (run.imported) trainStatus = { state: 'changed', status: 'changed: the model was imported, not trained here' };
  else {
    const code = run.appVersion !== facts.appVersion ? `code (Pawprint ${run.appVersion ?? 'unknown'} → ${facts.appVersion})` : null;
    const why = reasons(dataReason, paramReason(), code);
    trainStatus = why.length ? changed(why) : UP_TO_DATE;
  }

  let evaluateStatus: Status;
  if (!run || !run.model || !run.hasEvaluation) evaluateStatus = NOT_RUN;
  else evaluateStatus = trainStatus.state === 'up-to-date' ? UP_TO_DATE : changed(['model']);

  const model: Artifact = { path: 'model', hash: run?.model?.weightsMd5 ?? null, size: run?.model?.weightsSize ?? null };
  const stages: StageView[] = [
    { name: 'import', command: 'Add to data set', deps: [], outs: [data], ...importStatus },
    { name: 'validate', command: 'Check images', deps: [data], outs: [{ path: 'validation report', hash: facts.checkedDatasetId, size: null }], ...validateStatus },
    { name: 'preprocess', command: pretrained ? 'Compute features' : 'Decode and resize', deps: [data, paramArtifact(preprocessKeys)], outs: [preprocessOut], ...preprocessStatus },
    {
      name: 'train',
      command: 'Train',
      deps: [data, preprocessOut, paramArtifact(Object.keys(params))],
      outs: [model, { path: 'metrics.csv', hash: null, size: null }],
      ...trainStatus,
      ...(trainStatus.state !== 'up-to-date' && facts.cached ? { cached: facts.cached.label } : {}),
    },
    { name: 'evaluate', command: 'Evaluate', deps: [model, data], outs: [{ path: 'metrics.json', hash: null, size: null }], ...evaluateStatus },
  ];
  // import has no command to rerun here (the user adds files); every other stale stage reruns.
  const stale = stages.filter((stage) => stage.state !== 'up-to-date' && stage.name !== 'import').map((stage) => stage.name);
  return { stages, stale: workspace ? stale : [] };
}
