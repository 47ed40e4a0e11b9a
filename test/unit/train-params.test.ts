import { describe, expect, it } from 'vitest';
import type { DatasetEntry, Split } from '../../src/core/objects';
import { DEFAULT_PARAMS, assignSplits, classNamesOf, holdOutCount, paramsProblems, splitCounts, type SplitCounts } from '../../src/core/train';
import { formFromParams, paramsFromForm } from '../../src/core/train/params-form';
import { ODD_LABELS } from './odd-labels';

const ENOUGH: SplitCounts = { train: 100, validation: 20, classes: 2, smallestTrainClass: 40 };

describe('paramsProblems', () => {
  it('accepts the defaults on a usable split', () => {
    expect(DEFAULT_PARAMS).toMatchObject({ imageSize: 64, epochs: 10, batchSize: 32, learningRate: 0.001, seed: 42, holdout: 0.2 });
    expect(DEFAULT_PARAMS.augment).toEqual({ flip: false, shift: false });
    expect(paramsProblems(DEFAULT_PARAMS, ENOUGH)).toEqual([]);
  });

  it.each([
    [{ epochs: 0 }, 'Epochs must be a whole number of at least 1 (got 0).'],
    [{ epochs: 2.5 }, 'Epochs must be a whole number of at least 1 (got 2.5).'],
    [{ epochs: Number.NaN }, 'Epochs must be a whole number of at least 1 (got NaN).'],
    [{ batchSize: 0 }, 'Batch size must be a whole number of at least 1 (got 0).'],
    [{ batchSize: 101 }, 'Batch size 101 is larger than the 100 training images: use at most 100.'],
    [{ learningRate: 0 }, 'Learning rate must be a number greater than 0 (got 0).'],
    [{ learningRate: Number.POSITIVE_INFINITY }, 'Learning rate must be a number greater than 0 (got Infinity).'],
    [{ learningRate: Number.NaN }, 'Learning rate must be a number greater than 0 (got NaN).'],
    [{ imageSize: 21 }, 'Image size must be a whole number of pixels from 22 to 256 (got 21).'],
    [{ imageSize: 257 }, 'Image size must be a whole number of pixels from 22 to 256 (got 257).'],
    [{ seed: 1.5 }, 'Seed must be a whole number from 0 to 4294967295 (got 1.5).'],
    [{ seed: -1 }, 'Seed must be a whole number from 0 to 4294967295 (got -1).'],
    [{ holdout: 1 }, 'The hold-out fraction must be between 0 and 1, e.g. 0.2 (got 1).'],
  ])('explains %o', (change, message) => {
    expect(paramsProblems({ ...DEFAULT_PARAMS, ...change }, ENOUGH)).toEqual([message]);
  });

  it('takes image sizes up to 512 for pretrained features', () => {
    const pretrained = { ...DEFAULT_PARAMS, architecture: 'pretrained-features' as const, backbone: 'b'.repeat(64), featureLayer: 'out_relu' };
    expect(paramsProblems({ ...pretrained, imageSize: 8 }, ENOUGH)).toEqual([]);
    expect(paramsProblems({ ...pretrained, imageSize: 512 }, ENOUGH)).toEqual([]);
    expect(paramsProblems({ ...pretrained, imageSize: 513 }, ENOUGH)).toEqual(['Image size must be a whole number of pixels from 1 to 512 for pretrained features (got 513).']);
    expect(paramsProblems({ ...pretrained, imageSize: 160.5 }, ENOUGH)).toEqual(['Image size must be a whole number of pixels from 1 to 512 for pretrained features (got 160.5).']);
  });

  it('accepts the edges of the ranges', () => {
    const edges = { epochs: 1, batchSize: 100, learningRate: 1e-9, imageSize: 22, seed: 0 };
    expect(paramsProblems({ ...DEFAULT_PARAMS, ...edges }, ENOUGH)).toEqual([]);
    expect(paramsProblems({ ...DEFAULT_PARAMS, imageSize: 256, seed: 4294967295 }, ENOUGH)).toEqual([]);
  });

  it('explains data that cannot train', () => {
    expect(paramsProblems(DEFAULT_PARAMS, { ...ENOUGH, classes: 1 })).toEqual(['Training needs at least 2 classes; this data set has 1.']);
    expect(paramsProblems({ ...DEFAULT_PARAMS, batchSize: 2 }, { train: 3, validation: 0, classes: 2, smallestTrainClass: 1 })).toEqual([
      'Every class needs at least 2 training images; the smallest has 1.',
      'No images are left for validation: add a validation folder, or more images per class so some can be held out.',
    ]);
  });

  it('lists every problem at once', () => {
    expect(paramsProblems({ ...DEFAULT_PARAMS, epochs: 0, batchSize: -1 }, ENOUGH)).toHaveLength(2);
  });
});

describe('paramsFromForm', () => {
  const backbone = { id: 'b'.repeat(64), layer: 'out_relu', size: 160, resizable: true };
  const form = { ...formFromParams(DEFAULT_PARAMS), architecture: 'pretrained-features' as const };

  it('feeds a backbone its default image size until another is set, and keeps the convnet’s apart', () => {
    expect(paramsFromForm(form, DEFAULT_PARAMS, backbone).params).toMatchObject({ backbone: backbone.id, featureLayer: 'out_relu', imageSize: 160 });
    expect(paramsFromForm({ ...form, featureSize: 224 }, DEFAULT_PARAMS, backbone).params.imageSize).toBe(224);
    expect(paramsFromForm({ ...form, featureSize: 224, architecture: 'reference-convnet' }, DEFAULT_PARAMS, backbone).params.imageSize).toBe(64);
  });

  it('feeds a backbone that takes only its own size that size', () => {
    expect(paramsFromForm({ ...form, featureSize: 96 }, DEFAULT_PARAMS, { ...backbone, size: 224, resizable: false }).params.imageSize).toBe(224);
  });

  it('round-trips a pretrained run’s params, its image size with them', () => {
    const params = paramsFromForm({ ...form, featureSize: 192 }, DEFAULT_PARAMS, backbone).params;
    expect(paramsFromForm(formFromParams(params), DEFAULT_PARAMS, backbone).params).toEqual(params);
  });
});

let counter = 0;
function entry(split: Split | null, label: string, sha256 = `sha-${counter++}`): DatasetEntry {
  return { path: `${split ?? 'loose'}/${label}/${sha256}.jpg`, sha256, md5: 'm', size: 1, split, label };
}
const many = (n: number, split: Split | null, label: string) => Array.from({ length: n }, () => entry(split, label));

describe('assignSplits', () => {
  it('names classes in code-point order', () => {
    expect(classNamesOf([{ label: 'dogs' }, { label: 'Zebra' }, { label: 'cats' }, { label: 'dogs' }, { label: 'é' }])).toEqual(['Zebra', 'cats', 'dogs', 'é']);
  });

  it('gives every folder name its own class index, object members and case-only differences included', () => {
    const entries = ODD_LABELS.flatMap((label) => [...many(3, null, label), ...many(1, 'validation', label)]);
    const names = classNamesOf(entries);
    expect(names).toEqual([...ODD_LABELS].sort((a, b) => (a < b ? -1 : 1)));
    const splits = assignSplits(entries, { seed: 3, holdout: 0.2 });
    const perClass = (examples: { label: number }[]) => names.map((_, index) => examples.filter((e) => e.label === index).length);
    expect(perClass(splits.train)).toEqual(names.map(() => 3));
    expect(perClass(splits.validation)).toEqual(names.map(() => 1));
    expect(splitCounts(splits, names.length)).toMatchObject({ classes: ODD_LABELS.length, smallestTrainClass: 3 });
  });

  it('follows the folders and keeps the test split out of training', () => {
    const entries = [entry('train', 'dogs', 'd1'), entry('validation', 'cats', 'c2'), entry('test', 'cats', 'c3'), entry('train', 'cats', 'c1'), entry(null, 'dogs', 'd9')];
    const splits = assignSplits(entries, { seed: 1, holdout: 0.2 });
    expect(splits.train).toEqual([{ sha256: 'd1', label: 1 }, { sha256: 'c1', label: 0 }, { sha256: 'd9', label: 1 }]);
    expect(splits.validation).toEqual([{ sha256: 'c2', label: 0 }]);
    expect(splits.test).toEqual([{ sha256: 'c3', label: 0 }]);
    expect(splits.heldOut).toBe(false);
  });

  it('holds out a seeded, stratified fraction of each class when there is no validation folder', () => {
    const entries = [...many(100, null, 'cats'), ...many(50, null, 'dogs'), ...many(7, 'test', 'cats')];
    const splits = assignSplits(entries, { seed: 42, holdout: 0.2 });
    const count = (examples: { label: number }[], label: number) => examples.filter((e) => e.label === label).length;
    expect(splits.heldOut).toBe(true);
    expect([count(splits.validation, 0), count(splits.validation, 1)]).toEqual([20, 10]);
    expect([count(splits.train, 0), count(splits.train, 1)]).toEqual([80, 40]);
    expect(splits.test).toHaveLength(7);
    const trainShas = new Set(splits.train.map((e) => e.sha256));
    expect(splits.validation.some((e) => trainShas.has(e.sha256))).toBe(false);

    expect(assignSplits(entries, { seed: 42, holdout: 0.2 })).toEqual(splits);
    const other = assignSplits(entries, { seed: 43, holdout: 0.2 });
    expect(other.validation.map((e) => e.sha256)).not.toEqual(splits.validation.map((e) => e.sha256));
    expect(count(other.validation, 0)).toBe(20);
  });

  it('draws the hold-out from train/ too when only a train folder exists, and never splits one image across both sides', () => {
    const entries = [...many(10, 'train', 'cats'), ...many(10, 'train', 'dogs'), entry('train', 'dogs', 'twin'), entry(null, 'dogs', 'twin')];
    const splits = assignSplits(entries, { seed: 3, holdout: 0.5 });
    expect(splits.heldOut).toBe(true);
    const sides = ['train', 'validation'].filter((side) => splits[side as 'train' | 'validation'].some((e) => e.sha256 === 'twin'));
    expect(sides).toHaveLength(1);
    expect(splits.train.length + splits.validation.length).toBe(22);
  });

  it('holds out at least one image of a class with two or more, never its last', () => {
    expect([1, 2, 3, 10].map((n) => holdOutCount(n, 0.2))).toEqual([0, 1, 1, 2]);
    expect(holdOutCount(3, 0.9)).toBe(2);
    expect(holdOutCount(10, Number.NaN)).toBe(0);
  });

  it('counts what paramsProblems needs', () => {
    const splits = assignSplits([...many(3, 'train', 'a'), ...many(1, 'train', 'b'), ...many(2, 'validation', 'a')], { seed: 1, holdout: 0.2 });
    expect(splitCounts(splits, 2)).toEqual({ train: 4, validation: 2, classes: 2, smallestTrainClass: 1 });
  });
});
