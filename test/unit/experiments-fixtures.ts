// Experiments for the unit tests: requests on the miniature tutorial of versions-fixtures,
// and a result stored the way the train worker stores one (saveExperimentResult with a
// tiny real tfjs model), so records, refs and gc are the real ones.
import * as tf from '@tensorflow/tfjs';
import type { ExperimentRecord, ExperimentRequest } from '../../src/core/experiments';
import { saveExperimentResult } from '../../src/core/experiments/save-result';
import type { RunInfo } from '../../src/core/runs/save-run';
import type { Store } from '../../src/core/store';
import type { TrainParams } from '../../src/core/train/params';
import { APP_VERSION, PARAMS } from './versions-fixtures';

export const BASE = PARAMS as TrainParams;

export function request(datasetId: string, change: Partial<TrainParams> = {}, baseline: string | null = null): ExperimentRequest {
  return { params: { ...BASE, ...change }, backend: 'cpu', datasetId, baseline, appVersion: APP_VERSION };
}

const runInfo: RunInfo = {
  backend: 'cpu',
  adapter: 'cpu',
  appVersion: APP_VERSION,
  seed: 42,
  durationMs: 1234,
  imagesPerSecond: 10,
  stopped: false,
  heldOut: false,
  classNames: ['cats', 'dogs'],
  evaluation: { confusion: [[1, 0], [0, 1]], perClass: [], accuracy: 1, worst: [] },
  deterministic: true,
};

/** What the train worker does when a running experiment finishes: a real (tiny) model saved as its result. */
export async function finishRunning(store: Store, record: ExperimentRecord, valAccuracy = 0.8, seed = 1) {
  const model = tf.sequential({ layers: [tf.layers.dense({ inputShape: [2], units: 2, kernelInitializer: tf.initializers.randomUniform({ seed }) })] });
  const history = [{ epoch: 0, accuracy: 0.7, loss: 0.5, val_accuracy: valAccuracy, val_loss: 1 - valAccuracy }];
  try {
    return await saveExperimentResult(store, record.id, { model, datasetId: record.datasetId, params: record.params, history, run: { ...runInfo, seed: record.params.seed } });
  } finally {
    model.dispose();
  }
}
