import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  applyExperiment,
  endExperiment,
  experimentOf,
  ExperimentError,
  markInterrupted,
  queueExperiments,
  removeExperiment,
  requeueExperiment,
  startNextExperiment,
} from '../../src/core/experiments';
import { RUN_REF } from '../../src/core/runs/run-ref';
import { checkout, commitVersion, findCachedRun, workAtRisk, readRefState, WORKSPACE_REF } from '../../src/core/versions';
import { finishRunning, request } from './experiments-fixtures';
import { APP_VERSION, at, fakeTrain, freshStore, ingestDataZip, ingestNewLabels, PARAMS, refSnapshot } from './versions-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the experiment queue', () => {
  test('queueing writes one record per run, in order, with unique names and a ref keeping its data set; the workspace refs do not move', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const before = await refSnapshot(store);
    const records = await queueExperiments(store, [request(data, { learningRate: 0.01 }), request(data, { learningRate: 0.001 })], at(1));
    expect(records.map((r) => [r.status, r.order, r.params.learningRate, r.datasetId])).toEqual([
      ['queued', 1, 0.01, data],
      ['queued', 2, 0.001, data],
    ]);
    expect(records[0]!.batch).toBe(records[1]!.batch);
    expect(records.every((r) => /^exp-[0-9a-f]{5,}$/.test(r.name))).toBe(true);
    expect(new Set(records.map((r) => r.name)).size).toBe(2);
    expect(await store.listExperiments()).toEqual(records);
    const after = await refSnapshot(store);
    expect(Object.keys(after).filter((name) => !(name in before)).sort()).toEqual(records.map((r) => `experiments/${r.id}`).sort());
    for (const record of records) expect(after[`experiments/${record.id}`]).toBe(data);
    for (const name of Object.keys(before)) expect(after[name]).toBe(before[name]);

    // A later batch goes after the first.
    const [third] = await queueExperiments(store, [request(data, { seed: 7 })]);
    expect(third!.order).toBe(3);
    expect(third!.batch).not.toBe(records[0]!.batch);
  });

  test('a queued run keeps its data set through a workspace change and gc, and trains on it', async () => {
    const store = await freshStore();
    const v1Data = await ingestDataZip(store, 0.01);
    await queueExperiments(store, [request(v1Data)]);
    const v2Data = await ingestNewLabels(store, 0.01);
    await store.gc();
    expect(await store.hasObject(v1Data)).toBe(true);
    const started = await startNextExperiment(store, 'tab-1', at(2));
    expect(started?.record.datasetId).toBe(v1Data);
    expect(v2Data).not.toBe(v1Data);
  });

  test('start takes the first queued run, marks it running by this tab; a finished run becomes its result, leaving the last run alone', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const lastRun = await fakeTrain(store);
    await queueExperiments(store, [request(data, { learningRate: 0.01 }), request(data, { learningRate: 0.02 })]);
    const started = await startNextExperiment(store, 'tab-1', at(2));
    expect(started).toMatchObject({ cached: false, record: { status: 'running', runner: 'tab-1', startedAt: at(2).toISOString() } });
    expect(started!.record.params.learningRate).toBe(0.01);
    expect((await store.listExperiments()).map((r) => r.status)).toEqual(['running', 'queued']);

    const saved = await finishRunning(store, started!.record, 0.9);
    expect(saved?.record).toMatchObject({ status: 'done', result: saved!.runId });
    expect(await store.getRef(`experiments/${started!.record.id}`)).toBe(saved!.runId);
    expect(await store.getRef(RUN_REF)).toBe(lastRun.runId);
    const result = await store.getObject(saved!.runId, 'version');
    expect(result.dataset).toBe(data);
    expect(result.params).toEqual(started!.record.params);
    expect(result.metrics.val_accuracy).toBe(0.9);
    expect(experimentOf(result.run)).toEqual({ id: started!.record.id, name: started!.record.name });
    expect(result.run?.['appVersion']).toBe(APP_VERSION);
    expect(result.run?.['backend']).toBe('cpu');

    // Nothing is saved for a run that is no longer running (removed meanwhile).
    const second = await startNextExperiment(store, 'tab-1');
    await endExperiment(store, second!.record.id, 'cancelled', 'Stopped.');
    expect(await finishRunning(store, second!.record)).toBeNull();
    expect(await store.getRef(`experiments/${second!.record.id}`)).toBe(data);
    expect(await startNextExperiment(store, 'tab-1')).toBeNull();
  });

  test('a run whose inputs match a stored run is done from the run-cache: no training, the same model, and it says from where', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const run = await fakeTrain(store, { params: PARAMS });
    await commitVersion(store, { message: 'First model', tag: 'v1.0', now: at(1) });
    const [record] = await queueExperiments(store, [request(data)]);
    const started = await startNextExperiment(store, 'tab-1', at(3));
    expect(started).toMatchObject({ cached: true, record: { status: 'done', cached: { label: 'v1.0' } } });
    const result = await store.getObject(started!.record.result!, 'version');
    expect(result.model).toBe(run.modelId);
    expect(result.run?.['cachedFrom']).toBe(started!.record.cached!.versionId);
    expect(experimentOf(result.run)).toEqual({ id: record!.id, name: record!.name });

    // Experiments' results are in the run-cache too: the same params again name the experiment when no version has them.
    const [other] = await queueExperiments(store, [request(data, { learningRate: 0.05 })]);
    const trained = await startNextExperiment(store, 'tab-1');
    await finishRunning(store, trained!.record);
    expect(await findCachedRun(store, { datasetId: data, params: other!.params, appVersion: APP_VERSION })).toMatchObject({ label: other!.name });
    await queueExperiments(store, [request(data, { learningRate: 0.05 })]);
    expect(await startNextExperiment(store, 'tab-1')).toMatchObject({ cached: true, record: { cached: { label: other!.name } } });
  });

  test('a failed run ends failed with its reason; Cancel ends a queued run; an ended run is not ended again', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const [a, b] = await queueExperiments(store, [request(data, { seed: 1 }), request(data, { seed: 2 })]);
    await startNextExperiment(store, 'tab-1');
    expect(await endExperiment(store, a!.id, 'failed', 'Training diverged.')).toMatchObject({ status: 'failed', reason: 'Training diverged.' });
    expect(await endExperiment(store, b!.id, 'cancelled', 'Cancelled before it ran.')).toMatchObject({ status: 'cancelled' });
    expect(await endExperiment(store, b!.id, 'failed', 'late')).toBeNull();
    expect((await store.listExperiments()).map((r) => [r.status, r.reason])).toEqual([
      ['failed', 'Training diverged.'],
      ['cancelled', 'Cancelled before it ran.'],
    ]);
    expect(await startNextExperiment(store, 'tab-1')).toBeNull();
  });

  test('a run left running by a closed tab is marked interrupted, never dropped, and can be queued again at the end', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const [a, b] = await queueExperiments(store, [request(data, { seed: 1 }), request(data, { seed: 2 })]);
    await startNextExperiment(store, 'closed-tab');
    const interrupted = await markInterrupted(store, at(5));
    expect(interrupted.map((r) => [r.id, r.status])).toEqual([[a!.id, 'interrupted']]);
    expect(interrupted[0]!.reason).toMatch(/closed or reloaded/);
    expect(await markInterrupted(store)).toEqual([]);
    const requeued = await requeueExperiment(store, a!.id);
    expect(requeued).toMatchObject({ status: 'queued', order: 3 });
    expect(requeued).not.toHaveProperty('reason');
    expect(requeued).not.toHaveProperty('runner');
    const next = await startNextExperiment(store, 'tab-2');
    expect(next?.record.id).toBe(b!.id);
    await expect(requeueExperiment(store, b!.id)).rejects.toThrow(ExperimentError);
  });

  test('Remove deletes the record and ref, and gc frees the model only it held; a shared model stays', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const [a, b] = await queueExperiments(store, [request(data, { seed: 1 }), request(data, { seed: 1 })]);
    const first = await startNextExperiment(store, 'tab');
    const saved = await finishRunning(store, first!.record);
    const model = await store.getObject(saved!.modelId, 'model');
    // The second, same inputs, comes from the run-cache: it shares the first's model.
    expect(await startNextExperiment(store, 'tab')).toMatchObject({ cached: true });

    const sharedFreed = await removeExperiment(store, a!.id);
    expect(sharedFreed.blobsDeleted).toBe(0);
    expect(await store.hasBlob(model.weights)).toBe(true);
    expect((await store.listExperiments()).map((r) => r.id)).toEqual([b!.id]);
    expect(await store.getRef(`experiments/${a!.id}`)).toBeUndefined();

    const freed = await removeExperiment(store, b!.id);
    expect(freed.blobsDeleted).toBe(1);
    expect(freed.bytesFreed).toBe(model.weightsSize);
    expect(await store.hasBlob(model.weights)).toBe(false);
    expect(await store.hasObject(data)).toBe(true);
    await expect(removeExperiment(store, b!.id)).rejects.toThrow(/no longer stored/);

    const [running] = await queueExperiments(store, [request(data, { seed: 9 })]);
    await startNextExperiment(store, 'tab');
    await expect(removeExperiment(store, running!.id)).rejects.toThrow(/running: stop it first/);
  });

  test('Apply makes the result the last run; Commit then records the experiment; another data set with uncommitted data is refused', async () => {
    const store = await freshStore();
    const v1Data = await ingestDataZip(store, 0.01);
    await commitVersion(store, { message: 'Data', tag: 'v1.0', now: at(1) });
    const [record] = await queueExperiments(store, [request(v1Data, { learningRate: 0.01 })]);
    const saved = await finishRunning(store, (await startNextExperiment(store, 'tab'))!.record);

    const applied = await applyExperiment(store, record!.id);
    expect(applied).toMatchObject({ resultId: saved!.runId, datasetChanged: false });
    expect(await store.getRef(RUN_REF)).toBe(saved!.runId);
    const { version } = await commitVersion(store, { message: 'Best lr', now: at(2) });
    expect(version.params['learningRate']).toBe(0.01);
    expect(experimentOf(version.run)).toEqual({ id: record!.id, name: record!.name });

    // New, uncommitted data in the workspace: applying a run on v1's data would drop it.
    await ingestNewLabels(store, 0.01);
    const before = await refSnapshot(store);
    await expect(applyExperiment(store, record!.id)).rejects.toThrow(/commit it .* first/);
    expect(await refSnapshot(store)).toEqual(before);
    // Once that data is committed, Apply takes the experiment's data set back too.
    await commitVersion(store, { message: 'More data', now: at(3), includeModel: false });
    expect(await applyExperiment(store, record!.id)).toMatchObject({ datasetChanged: true });
    expect(await store.getRef(WORKSPACE_REF)).toBe(v1Data);

    const [queued] = await queueExperiments(store, [request(v1Data, { seed: 3 })]);
    await expect(applyExperiment(store, queued!.id)).rejects.toThrow(/no result to apply/);
  });

  test('work an experiment keeps is not at risk: a checkout away from an applied result asks nothing', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    const v1 = await commitVersion(store, { message: 'Data', now: at(1) });
    const [record] = await queueExperiments(store, [request(data)]);
    await finishRunning(store, (await startNextExperiment(store, 'tab'))!.record);
    await applyExperiment(store, record!.id);
    const refs = await readRefState(store);
    const run = await store.getObject(refs.run!, 'version');
    expect(await workAtRisk(store, refs, run)).toEqual({ data: false, model: false });
    await expect(checkout(store, v1.id)).resolves.toMatchObject({ stash: null });
  });
});
