import { describe, expect, it } from 'vitest';
import { describeChanges, diffEntries } from '../../src/core/dataset/changes';
import { applyEdit, DatasetEditError, labelProblem, mergeEntries, moveToClass, moveToSplit, removeClass, removePaths, renameClass } from '../../src/core/dataset/edit';
import { summarizeClasses } from '../../src/core/dataset/summary';
import type { DatasetEntry, Split } from '../../src/core/objects/types';
import { ODD_LABELS } from './odd-labels';

const entry = (path: string, sha256 = path, split: Split | null = null, label = path.split('/')[split ? 1 : 0]!): DatasetEntry => ({
  path,
  sha256,
  md5: `md5-${sha256}`,
  size: 10,
  split,
  label,
});

const tutorial = [
  entry('train/cats/1.jpg', 'c1', 'train'),
  entry('train/cats/2.jpg', 'c2', 'train'),
  entry('train/dogs/1.jpg', 'd1', 'train'),
  entry('validation/cats/3.jpg', 'c3', 'validation'),
];

describe('classes summary', () => {
  it('counts per label and split, with totals and only the used columns', () => {
    const summary = summarizeClasses([...tutorial, entry('birds/1.png', 'b1')]);
    expect(summary.columns).toEqual(['train', 'validation', 'unsplit']);
    expect(summary.rows.map((row) => [row.label, row.counts.train, row.counts.validation, row.counts.unsplit, row.total])).toEqual([
      ['birds', 0, 0, 1, 1],
      ['cats', 2, 1, 0, 3],
      ['dogs', 1, 0, 0, 1],
    ]);
    expect(summary.totals.train).toBe(3);
    expect(summary.total).toBe(5);
  });
});

describe('workspace edits', () => {
  it('merges new files on top: the union, a re-added path takes the new content', () => {
    const merged = mergeEntries(tutorial, [entry('train/cats/9.jpg', 'c9', 'train'), entry('train/cats/1.jpg', 'c1b', 'train')]);
    expect(merged).toHaveLength(5);
    expect(merged.find((e) => e.path === 'train/cats/1.jpg')?.sha256).toBe('c1b');
  });

  it('removes files and whole classes', () => {
    expect(removePaths(tutorial, ['train/cats/1.jpg']).map((e) => e.path)).not.toContain('train/cats/1.jpg');
    expect(removeClass(tutorial, 'cats').map((e) => e.label)).toEqual(['dogs']);
  });

  it('renames a class in its label and its folder', () => {
    const renamed = renameClass(tutorial, 'cats', 'felines');
    expect(renamed.filter((e) => e.label === 'felines').map((e) => e.path)).toEqual([
      'train/felines/1.jpg',
      'train/felines/2.jpg',
      'validation/felines/3.jpg',
    ]);
    expect(renamed.find((e) => e.label === 'dogs')?.path).toBe('train/dogs/1.jpg');
    expect(renameClass([entry('cats/x/1.png', 'a')], 'cats', 'kittens')[0]?.path).toBe('kittens/x/1.png');
  });

  it('refuses a rename that collides or a name that cannot be a folder', () => {
    expect(() => renameClass(tutorial, 'dogs', 'cats')).toThrow(DatasetEditError);
    expect(() => renameClass(tutorial, 'dogs', 'cats')).toThrow(/two files at train\/cats\/1.jpg/);
    expect(renameClass([entry('train/dogs/7.jpg', 'd7', 'train'), ...tutorial.slice(0, 1)], 'dogs', 'cats')).toHaveLength(2);
    for (const bad of ['', ' cats', 'a/b', '..', 'Train', 'val']) expect(labelProblem(bad)).not.toBeNull();
    expect(labelProblem('chats noirs é')).toBeNull();
  });

  it('takes any folder name as a class: summary, rename and remove keep each one apart', () => {
    const odd = ODD_LABELS.flatMap((label, i) => [entry(`train/${label}/a.png`, `t${i}`, 'train'), entry(`validation/${label}/b.png`, `v${i}`, 'validation')]);
    for (const label of ODD_LABELS) expect(labelProblem(label), label).toBeNull();
    const summary = summarizeClasses(odd);
    expect(summary.rows.map((row) => [row.label, row.counts.train, row.counts.validation])).toEqual(
      [...ODD_LABELS].sort((a, b) => (a < b ? -1 : 1)).map((label) => [label, 1, 1]),
    );

    const renamed = renameClass(odd, 'constructor', '__proto__ 2');
    expect(renamed.filter((e) => e.label === '__proto__ 2').map((e) => e.path)).toEqual(['train/__proto__ 2/a.png', 'validation/__proto__ 2/b.png']);
    expect(() => renameClass(odd, 'cats', 'Cats')).toThrow(/two files at train\/Cats\/a.png/);
    const removed = removeClass(odd, '__proto__');
    expect(new Set(removed.map((e) => e.label))).toEqual(new Set(ODD_LABELS.filter((label) => label !== '__proto__')));
  });
});

describe('changes since a version', () => {
  it('counts added, removed and modified files by path', () => {
    const after = [...removePaths(tutorial, ['train/dogs/1.jpg']), entry('train/cats/1.jpg', 'new', 'train'), entry('train/cats/5.jpg', 'c5', 'train')];
    const changes = diffEntries(tutorial, mergeEntries([], after));
    expect(changes.added.map((e) => e.path)).toEqual(['train/cats/5.jpg']);
    expect(changes.removed.map((e) => e.path)).toEqual(['train/dogs/1.jpg']);
    expect(changes.modified.map((m) => m.after.path)).toEqual(['train/cats/1.jpg']);
    expect(describeChanges({ added: 1, removed: 1, modified: 1, relabelled: 2 })).toBe('+1 file, −1 file, 1 file changed, 2 files relabelled');
    expect(describeChanges({ added: 0, removed: 0, modified: 0, relabelled: 0 })).toBeNull();
    const thousand = Array.from({ length: 1000 }, (_, i) => entry(`train/cats/n${i}.jpg`, `n${i}`, 'train'));
    expect(describeChanges({ added: diffEntries([], thousand).added.length, removed: 0, modified: 0, relabelled: 0 })).toBe('+1 000 files');
  });
});

describe('labelling in place', () => {
  it('moves selected files to another class: label and class folder change, bytes stay', () => {
    const moved = moveToClass(tutorial, ['train/cats/2.jpg', 'validation/cats/3.jpg'], 'dogs');
    expect(moved.map((e) => [e.path, e.label, e.split, e.sha256])).toEqual([
      ['train/cats/1.jpg', 'cats', 'train', 'c1'],
      ['train/dogs/2.jpg', 'dogs', 'train', 'c2'],
      ['train/dogs/1.jpg', 'dogs', 'train', 'd1'],
      ['validation/dogs/3.jpg', 'dogs', 'validation', 'c3'],
    ]);
    // A new class is made by moving files into it.
    expect(moveToClass(tutorial, ['train/dogs/1.jpg'], 'wolves').find((e) => e.sha256 === 'd1')).toMatchObject({ path: 'train/wolves/1.jpg', label: 'wolves' });
  });

  it('moves selected files to another split, keeping the folder name the data set uses', () => {
    const withVal = [...tutorial, entry('val/dogs/8.jpg', 'd8', 'validation', 'dogs')].filter((e) => e.path !== 'validation/cats/3.jpg');
    const moved = moveToSplit(withVal, ['train/cats/2.jpg'], 'validation');
    expect(moved.find((e) => e.sha256 === 'c2')).toMatchObject({ path: 'val/cats/2.jpg', split: 'validation', label: 'cats' });
    expect(moveToSplit(tutorial, ['train/dogs/1.jpg'], 'test').find((e) => e.sha256 === 'd1')).toMatchObject({ path: 'test/dogs/1.jpg', split: 'test' });
    // A file outside split folders gets one in front.
    expect(moveToSplit([entry('birds/1.png', 'b1')], ['birds/1.png'], 'train')[0]).toMatchObject({ path: 'train/birds/1.png', split: 'train', label: 'birds' });
  });

  it('refuses an empty selection, a stale one, a clash or a bad class name, changing nothing', () => {
    expect(() => moveToClass(tutorial, [], 'dogs')).toThrow(/No images selected/);
    expect(() => applyEdit(tutorial, { kind: 'move-to-split', paths: [], split: 'test' })).toThrow(/No images selected/);
    expect(() => moveToClass(tutorial, ['train/cats/404.jpg'], 'dogs')).toThrow(/1 of the selected images are no longer/);
    expect(() => moveToClass(tutorial, ['train/dogs/1.jpg'], 'cats')).toThrow(/two files at train\/cats\/1.jpg/);
    expect(() => moveToClass(tutorial, ['train/dogs/1.jpg'], 'a/b')).toThrow(DatasetEditError);
    expect(() => moveToSplit(tutorial, ['validation/cats/3.jpg'], 'train')).not.toThrow();
  });

  it('counts a moved file as relabelled, not as removed and added; the class it went to has it', () => {
    const moved = moveToSplit(moveToClass(tutorial, ['train/cats/2.jpg'], 'dogs'), ['train/dogs/1.jpg'], 'validation');
    const changes = diffEntries(tutorial, moved);
    expect(changes.added).toEqual([]);
    expect(changes.removed).toEqual([]);
    expect(changes.relabelled.map(({ before, after }) => [before.path, after.path])).toEqual([
      ['train/cats/2.jpg', 'train/dogs/2.jpg'],
      ['train/dogs/1.jpg', 'validation/dogs/1.jpg'],
    ]);
    // Same bytes added again in the same class is an addition (a copy), not a move.
    const copy = diffEntries(tutorial, [...tutorial, entry('train/cats/1b.jpg', 'c1', 'train')]);
    expect(copy.added.map((e) => e.path)).toEqual(['train/cats/1b.jpg']);
    expect(copy.relabelled).toEqual([]);
  });
});
