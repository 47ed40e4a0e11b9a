import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  bestRows,
  buildGrid,
  choicesOf,
  experimentsCsv,
  experimentsJson,
  experimentTable,
  parseValues,
  queueExperiments,
  runQueue,
  scatterOf,
  sortRows,
  startNextExperiment,
  tablePage,
  type ExperimentRecord,
  type ExperimentRow,
  type QueueRunner,
} from '../../src/core/experiments';
import { applyExperiment } from '../../src/core/experiments/apply-experiment';
import { commitVersion } from '../../src/core/versions';
import { python } from '../harness/python.mjs';
import { BASE, finishRunning, request } from './experiments-fixtures';
import { at, fakeTrain, freshStore, ingestDataZip } from './versions-fixtures';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('the grid', () => {
  test('every combination, the seeds of one setting together; one value each is the form as it is', () => {
    const grid = buildGrid({ ...choicesOf(BASE), learningRate: [0.001, 0.01], epochs: [1, 2], seed: [1, 2] }, BASE, null);
    expect(grid.map((p) => [p.learningRate, p.epochs, p.seed])).toEqual([
      [0.001, 1, 1],
      [0.001, 1, 2],
      [0.001, 2, 1],
      [0.001, 2, 2],
      [0.01, 1, 1],
      [0.01, 1, 2],
      [0.01, 2, 1],
      [0.01, 2, 2],
    ]);
    expect(grid.every((p) => p.imageSize === BASE.imageSize && p.holdout === BASE.holdout)).toBe(true);
    expect(buildGrid(choicesOf(BASE), BASE, null)).toEqual([BASE]);
  });

  test('pretrained features take the backbone size and no augmentation, so the combinations that differ only there are one run', () => {
    const backbone = { id: 'b'.repeat(64), layer: 'flatten_1', size: 224, resizable: true };
    const grid = buildGrid(
      { ...choicesOf(BASE), architecture: ['reference-convnet', 'pretrained-features'], imageSize: [28, 64], flip: [false, true] },
      BASE,
      backbone,
    );
    const convnet = grid.filter((p) => p.architecture === 'reference-convnet');
    const pretrained = grid.filter((p) => p.architecture === 'pretrained-features');
    expect(convnet).toHaveLength(4);
    expect(pretrained).toEqual([{ ...BASE, architecture: 'pretrained-features', backbone: backbone.id, featureLayer: 'flatten_1', imageSize: 224, augment: { flip: false, shift: false } }]);
  });

  test('pretrained runs take the image size the form sets for them, unless their backbone takes only its own', () => {
    const base = { ...BASE, architecture: 'pretrained-features' as const, imageSize: 160 };
    const choices = { ...choicesOf(BASE), architecture: ['pretrained-features' as const], imageSize: [28, 64] };
    const backbone = { id: 'b'.repeat(64), layer: 'flatten_1', size: 224, resizable: true };
    expect(buildGrid(choices, base, backbone).map((p) => p.imageSize)).toEqual([160]);
    expect(buildGrid(choices, base, { ...backbone, resizable: false }).map((p) => p.imageSize)).toEqual([224]);
  });

  test('values are read from commas or spaces, repeats dropped; anything else is named', () => {
    expect(parseValues(' 0.001, 1e-2 ;0.001  0.1', 'Learning rate')).toEqual({ values: [0.001, 0.01, 0.1], problem: null });
    expect(parseValues('0.01, fast', 'Learning rate')).toEqual({ values: [], problem: 'Learning rate: “fast” is not a number.' });
    expect(parseValues('  ', 'Epochs')).toEqual({ values: [], problem: 'Epochs: give at least one value.' });
  });
});

function row(name: string, metrics: Record<string, number>, change: Partial<ExperimentRow['params']> = {}, order = 0): ExperimentRow {
  return {
    id: name,
    name,
    status: 'done',
    order,
    batch: 'b',
    queuedAt: at(order).toISOString(),
    startedAt: null,
    endedAt: null,
    reason: null,
    params: { ...BASE, ...change },
    backend: 'auto',
    ranOn: 'wasm',
    dataset: { id: 'd', md5: 'x.dir' },
    appVersion: '0.1.0',
    metrics,
    history: [],
    durationMs: 1000,
    cached: null,
    resultId: null,
    applied: false,
    committedAs: [],
  };
}

describe('the table', () => {
  const rows = [
    row('exp-a', { val_accuracy: 0.8, val_loss: 0.4, accuracy: 0.9, loss: 0.2 }, { learningRate: 0.01 }, 1),
    row('exp-b', { val_accuracy: 0.9, val_loss: 0.3, accuracy: 0.9, loss: 0.3 }, { learningRate: 0.001 }, 2),
    { ...row('exp-c', {}, { learningRate: 0.1 }, 3), status: 'queued' as const },
  ];

  test('sorts by any column both ways, empty cells last, queue order breaking ties', () => {
    expect(sortRows(rows, 'val_accuracy', 'descending').map((r) => r.name)).toEqual(['exp-b', 'exp-a', 'exp-c']);
    expect(sortRows(rows, 'val_accuracy', 'ascending').map((r) => r.name)).toEqual(['exp-a', 'exp-b', 'exp-c']);
    expect(sortRows(rows, 'learning_rate', 'ascending').map((r) => r.name)).toEqual(['exp-b', 'exp-a', 'exp-c']);
    expect(sortRows(rows, 'accuracy', 'descending').map((r) => r.name)).toEqual(['exp-a', 'exp-b', 'exp-c']);
    expect(sortRows(rows, 'experiment', 'descending').map((r) => r.name)).toEqual(['exp-c', 'exp-b', 'exp-a']);
  });

  test('a page of the table: the first rows in the order shown, then the queued and running rows further down', () => {
    const status = ['done', 'failed', 'done', 'cancelled', 'done', 'running', 'queued'] as const;
    const many = status.map((s, i) => ({ ...row(`exp-${i}`, {}, {}, i), status: s }));
    expect(tablePage(many, 3).map((r) => r.name)).toEqual(['exp-0', 'exp-1', 'exp-2', 'exp-5', 'exp-6']);
    expect(tablePage(many, 7).map((r) => r.name)).toEqual(many.map((r) => r.name));
    expect(tablePage(many.slice(0, 2), 3).map((r) => r.name)).toEqual(['exp-0', 'exp-1']);
  });

  test('marks the best value of each metric: highest accuracy, lowest loss, ties all marked', () => {
    const best = bestRows(rows);
    expect(best.get('val_accuracy')).toEqual(new Set(['exp-b']));
    expect(best.get('val_loss')).toEqual(new Set(['exp-b']));
    expect(best.get('loss')).toEqual(new Set(['exp-a']));
    expect(best.get('accuracy')).toEqual(new Set(['exp-a', 'exp-b']));
  });

  test('a scatter of a param against a metric: log axis suggested for the learning rate, categories for the model', () => {
    const lr = scatterOf(rows, 'learning_rate', 'val_accuracy');
    expect(lr.points).toEqual([
      { x: 0.001, y: 0.9, name: 'exp-b' },
      { x: 0.01, y: 0.8, name: 'exp-a' },
    ]);
    expect(lr).toMatchObject({ logSuggested: true, logPossible: true, categories: null });
    expect(scatterOf(rows, 'epochs', 'val_accuracy')).toMatchObject({ logSuggested: false });
    const models = scatterOf(rows, 'architecture', 'val_loss');
    expect(models.categories).toEqual(['Convnet from scratch']);
    expect(models.points.map((p) => p.x)).toEqual([0, 0]);
  });

  test('the rows of the stored experiments, with HEAD as the baseline; CSV and JSON of them, read back by Python', async () => {
    const store = await freshStore();
    const data = await ingestDataZip(store, 0.01);
    await fakeTrain(store, { valAccuracy: 0.7 });
    const v1 = await commitVersion(store, { message: 'First model', tag: 'v1.0', now: at(1) });
    const [done, cached, queued] = await queueExperiments(
      store,
      [request(data, { learningRate: 0.01 }, v1.id), request(data, { learningRate: 0.01 }, v1.id), request(data, { learningRate: 0.1 }, v1.id)],
      at(2),
    );
    await finishRunning(store, (await startNextExperiment(store, 'tab'))!.record, 0.85);
    await startNextExperiment(store, 'tab');
    await applyExperiment(store, done!.id);
    await commitVersion(store, { message: 'Faster, "better", lr 0.01', now: at(3) });

    const table = await experimentTable(store);
    expect(table.baseline).toMatchObject({ label: 'Faster, "better", lr 0.01', experiment: done!.name, metrics: { val_accuracy: 0.85 } });
    const dvc = (await store.getObject(data, 'dataset')).dvc.md5;
    expect(table.rows.map((r) => [r.name, r.status, r.metrics.val_accuracy ?? null, r.cached?.label ?? null, r.dataset.md5])).toEqual([
      [done!.name, 'done', 0.85, null, dvc],
      [cached!.name, 'done', 0.85, done!.name, dvc],
      [queued!.name, 'queued', null, null, dvc],
    ]);
    expect(table.rows[0]).toMatchObject({ applied: true, committedAs: ['Faster, "better", lr 0.01'], durationMs: 1234, ranOn: 'cpu' });
    expect(table.rows[1]).toMatchObject({ applied: false, durationMs: null });

    const parsed = python(
      `import csv, io, json, sys\nreq = json.load(sys.stdin)\nprint(json.dumps({"csv": list(csv.DictReader(io.StringIO(req["csv"], newline=""))), "json": json.loads(req["json"])}))`,
      { csv: experimentsCsv(table), json: experimentsJson(table) },
    ) as { csv: Record<string, string>[]; json: { baseline: { name: string }; experiments: { name: string; metrics: Record<string, number>; params: Record<string, unknown>; run_cache: string | null }[] } };
    expect(parsed.csv.map((r) => [r['Experiment'], r['typ'], r['State'], r['val_accuracy'], r['learning_rate'], r['run_cache']])).toEqual([
      ['Faster, "better", lr 0.01', 'baseline', '', '0.85', '0.01', ''],
      [done!.name, 'experiment', 'done', '0.85', '0.01', ''],
      [cached!.name, 'experiment', 'done', '0.85', '0.01', done!.name],
      [queued!.name, 'experiment', 'queued', '', '0.1', ''],
    ]);
    expect(parsed.json.baseline.name).toBe('Faster, "better", lr 0.01');
    expect(parsed.json.experiments.map((e) => [e.name, e.metrics['val_accuracy'] ?? null, e.params['learning_rate'], e.run_cache])).toEqual([
      [done!.name, 0.85, 0.01, null],
      [cached!.name, 0.85, 0.01, done!.name],
      [queued!.name, null, 0.1, null],
    ]);
  });
});

describe('runQueue', () => {
  test('marks what a gone runner left, then runs the queue in order; a failure does not stop it; Stop cancels one run', async () => {
    const queue = ['a', 'b', 'c', 'd'].map((id, i) => ({ id, name: id, order: i, status: 'queued' }) as unknown as ExperimentRecord);
    const log: string[] = [];
    const runner: QueueRunner = {
      markInterrupted: async () => {
        log.push('recover');
        return [];
      },
      startNext: async () => {
        const next = queue.shift();
        if (!next) return null;
        log.push(`start ${next.id}`);
        return { record: next, cached: next.id === 'c' };
      },
      train: async (record) => {
        log.push(`train ${record.id}`);
        if (record.id === 'a') throw new Error('out of memory');
        return record.id === 'b' ? { status: 'stopped' } : { status: 'done' };
      },
      end: async (record, status, reason) => log.push(`end ${record.id} ${status} ${reason}`),
      // A slow table re-read: the run starts without waiting for it, and two never overlap.
      changed: async () => {
        log.push(reading ? 'changed while reading' : 'changed');
        reading = true;
        await new Promise((resolve) => setTimeout(resolve, 5));
        reading = false;
        log.push('shown');
      },
    };
    let reading = false;
    await runQueue(runner);
    expect(log).toEqual([
      'recover',
      'start a',
      'changed',
      'train a',
      'shown',
      'end a failed out of memory',
      'changed',
      'shown',
      'start b',
      'changed',
      'train b',
      'shown',
      'end b cancelled Stopped by the user while it ran; nothing was kept.',
      'changed',
      'shown',
      'start c',
      'changed',
      'shown',
      'start d',
      'changed',
      'train d',
      'shown',
      'changed',
      'shown',
    ]);
  });
});
