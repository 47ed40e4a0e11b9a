import { describe, expect, it } from 'vitest';
import { normalizeEntryPath, PathError, type PathProblem } from '../../src/core/dataset/paths';
import { ignoredReason, imageTypeOf } from '../../src/core/dataset/ignore';
import { inferPlacement, splitOfFolder } from '../../src/core/dataset/placement';
import { ODD_LABELS } from './odd-labels';

function problemOf(raw: string): PathProblem | null {
  try {
    normalizeEntryPath(raw);
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(PathError);
    return (error as PathError).problem;
  }
}

describe('normalizeEntryPath', () => {
  it('keeps a normal relative path', () => {
    expect(normalizeEntryPath('data/train/cats/cat.1.jpg')).toBe('data/train/cats/cat.1.jpg');
  });

  it('treats backslashes as separators and drops "." segments', () => {
    expect(normalizeEntryPath('data\\train\\cats\\cat.1.jpg')).toBe('data/train/cats/cat.1.jpg');
    expect(normalizeEntryPath('./data/./cats/1.jpg')).toBe('data/cats/1.jpg');
  });

  it('normalises unicode to NFC', () => {
    const decomposed = 'chats/cafe\u0301.jpg';
    expect(normalizeEntryPath(decomposed)).toBe('chats/caf\u00e9.jpg');
    expect(normalizeEntryPath('猫/🐱.png')).toBe('猫/🐱.png');
  });

  it.each([
    ['/etc/passwd', 'absolute'],
    ['/', 'absolute'],
    ['C:\\Users\\me\\cat.jpg', 'absolute'],
    ['c:/cat.jpg', 'absolute'],
    ['D:cat.jpg', 'absolute'],
    ['\\\\server\\share\\cat.jpg', 'absolute'],
    ['../evil.jpg', 'parent'],
    ['data/../../evil.jpg', 'parent'],
    ['data\\..\\evil.jpg', 'parent'],
    ['data//cat.jpg', 'empty-segment'],
    ['data/cats/', 'empty-segment'],
    ['', 'empty'],
    ['.', 'empty'],
    ['cat\0.jpg', 'nul'],
  ])('rejects %j (%s)', (raw, problem) => {
    expect(problemOf(raw)).toBe(problem);
  });

  it('accepts 300-character names and rejects paths over 4096 bytes with the size in the message', () => {
    const longName = `${'猫'.repeat(100)}${'a'.repeat(196)}.jpg`;
    expect(longName).toHaveLength(300);
    expect(normalizeEntryPath(`data/train/cats/${longName}`)).toBe(`data/train/cats/${longName}`);
    const tooLong = `data/${'x'.repeat(4100)}.jpg`;
    expect(problemOf(tooLong)).toBe('too-long');
    expect(() => normalizeEntryPath(tooLong)).toThrow(/too long \(4109 bytes; the limit is 4096\)/);
  });

  it('counts the limit in UTF-8 bytes, not characters', () => {
    expect(problemOf(`${'猫'.repeat(1366)}.jpg`)).toBe('too-long'); // 1 370 characters, 4 102 bytes
  });
});

describe('splitOfFolder', () => {
  it.each([
    ['train', 'train'],
    ['TRAIN', 'train'],
    ['validation', 'validation'],
    ['VALIDATION', 'validation'],
    ['val', 'validation'],
    ['Valid', 'validation'],
    ['test', 'test'],
    ['Test', 'test'],
    ['training', null],
    ['cats', null],
  ])('%s → %s', (folder, split) => {
    expect(splitOfFolder(folder)).toBe(split);
  });

  it('takes no folder named after an object member for a split', () => {
    for (const name of ODD_LABELS) expect(splitOfFolder(name), name).toBeNull();
  });
});

describe('any folder or file name a file system allows', () => {
  it('is a class folder like any other, each its own class', () => {
    const paths = ODD_LABELS.flatMap((label) => [`data/train/${label}/1.png`, `data/validation/${label}/2.png`, `data/${label}.png`]);
    const { root, placements } = inferPlacement(paths.filter((path) => path.split('/').length === 4));
    expect(root).toBe('data');
    expect(placements.map(({ split, label }) => [split, label])).toEqual(ODD_LABELS.flatMap((label) => [['train', label], ['validation', label]]));
    for (const path of paths) expect(ignoredReason(path), path).toBeNull();
    for (const name of ODD_LABELS) {
      expect(imageTypeOf(`x.${name}`), name).toBeNull();
      expect(ignoredReason(`data/train/cats/${name}`), name).toBeNull();
    }
  });
});

describe('inferPlacement', () => {
  it('takes the tutorial layout: root "data", relpaths inside it', () => {
    const result = inferPlacement(['data/train/cats/cat.1.jpg', 'data/train/dogs/dog.1.jpg', 'data/validation/cats/cat.2.jpg']);
    expect(result.root).toBe('data');
    expect(result.placements).toEqual([
      { path: 'data/train/cats/cat.1.jpg', relpath: 'train/cats/cat.1.jpg', split: 'train', label: 'cats' },
      { path: 'data/train/dogs/dog.1.jpg', relpath: 'train/dogs/dog.1.jpg', split: 'train', label: 'dogs' },
      { path: 'data/validation/cats/cat.2.jpg', relpath: 'validation/cats/cat.2.jpg', split: 'validation', label: 'cats' },
    ]);
  });

  it('uses a top folder of any name as the root', () => {
    const result = inferPlacement(['pets/cats/1.jpg', 'pets/dogs/2.jpg']);
    expect(result.root).toBe('pets');
    expect(result.placements.map(({ relpath, split, label }) => [relpath, split, label])).toEqual([
      ['cats/1.jpg', null, 'cats'],
      ['dogs/2.jpg', null, 'dogs'],
    ]);
  });

  it.each([
    ['val', 'validation'],
    ['valid', 'validation'],
    ['VALIDATION', 'validation'],
    ['Validation', 'validation'],
    ['Test', 'test'],
    ['TEST', 'test'],
    ['Train', 'train'],
  ])('reads the split folder %s as %s', (folder, split) => {
    const [placement] = inferPlacement([`data/${folder}/cats/1.jpg`]).placements;
    expect(placement).toEqual({ path: `data/${folder}/cats/1.jpg`, relpath: `${folder}/cats/1.jpg`, split, label: 'cats' });
  });

  it('keeps the default root and the paths as given when the top folder is a split', () => {
    const result = inferPlacement(['train/cats/1.jpg', 'train/dogs/2.jpg']);
    expect(result.root).toBe('data');
    expect(result.placements.map((p) => [p.relpath, p.split, p.label])).toEqual([
      ['train/cats/1.jpg', 'train', 'cats'],
      ['train/dogs/2.jpg', 'train', 'dogs'],
    ]);
  });

  it('reads <label>/file as a label without a split, the folder being a label folder, not a root', () => {
    const result = inferPlacement(['cats/1.jpg', 'cats/2.jpg']);
    expect(result.root).toBe('data');
    expect(result.placements.map((p) => [p.relpath, p.split, p.label])).toEqual([
      ['cats/1.jpg', null, 'cats'],
      ['cats/2.jpg', null, 'cats'],
    ]);
  });

  it('leaves loose files without a label', () => {
    const result = inferPlacement(['1.jpg', '2.png']);
    expect(result.root).toBe('data');
    expect(result.placements).toEqual([
      { path: '1.jpg', relpath: '1.jpg', split: null, label: null },
      { path: '2.png', relpath: '2.png', split: null, label: null },
    ]);
  });

  it('takes the folder right under the split as the label, however deep the file', () => {
    const result = inferPlacement(['data/train/cats/batch1/x.jpg', 'data/train/cats/batch2/deeper/y.jpg', 'data/fold1/test/dogs/z.jpg']);
    expect(result.placements.map((p) => [p.relpath, p.split, p.label])).toEqual([
      ['train/cats/batch1/x.jpg', 'train', 'cats'],
      ['train/cats/batch2/deeper/y.jpg', 'train', 'cats'],
      ['fold1/test/dogs/z.jpg', 'test', 'dogs'],
    ]);
  });

  it('gives a file directly in a split folder a split but no label', () => {
    const [placement] = inferPlacement(['data/train/1.jpg', 'data/train/cats/2.jpg']).placements;
    expect(placement).toMatchObject({ relpath: 'train/1.jpg', split: 'train', label: null });
  });

  it('does not strip a root when the paths have different top folders', () => {
    const result = inferPlacement(['data/train/cats/1.jpg', 'more/train/dogs/2.jpg', 'loose.jpg']);
    expect(result.root).toBe('data');
    expect(result.placements.map((p) => [p.relpath, p.split, p.label])).toEqual([
      ['data/train/cats/1.jpg', 'train', 'cats'],
      ['more/train/dogs/2.jpg', 'train', 'dogs'],
      ['loose.jpg', null, null],
    ]);
  });

  it('does not strip a root when some file lies directly in the top folder', () => {
    const result = inferPlacement(['cats/1.jpg', 'cats/kittens/2.jpg']);
    expect(result.root).toBe('data');
    expect(result.placements.map((p) => p.label)).toEqual(['cats', 'cats']);
  });

  it('handles unicode and very long names', () => {
    const longName = `${'ü'.repeat(296)}.jpg`;
    const result = inferPlacement([`données/train/chats/${longName}`, 'données/validation/chiens/🐶.png']);
    expect(result.root).toBe('données');
    expect(result.placements.map((p) => [p.relpath, p.split, p.label])).toEqual([
      [`train/chats/${longName}`, 'train', 'chats'],
      ['validation/chiens/🐶.png', 'validation', 'chiens'],
    ]);
  });

  it('returns the default root for an empty list', () => {
    expect(inferPlacement([])).toEqual({ root: 'data', placements: [] });
  });
});
