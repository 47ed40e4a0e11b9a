import { describe, expect, it } from 'vitest';
import { ignoredReason, imageTypeOf } from '../../src/core/dataset/ignore';

describe('ignoredReason', () => {
  it.each([
    ['__MACOSX/data/train/cats/._cat.1.jpg', 'macOS metadata'],
    ['data/__MACOSX/cat.jpg', 'macOS metadata'],
    ['data/train/.DS_Store', 'macOS metadata'],
    ['data/train/cats/._cat.1.jpg', 'macOS metadata'],
    ['data/train/Thumbs.db', 'Windows thumbnail cache'],
    ['data/train/THUMBS.DB', 'Windows thumbnail cache'],
    ['data/desktop.ini', 'Windows folder settings'],
    ['data/train/cats/.hidden.jpg', 'hidden file'],
    ['.gitignore', 'hidden file'],
    ['data/.git/objects/ab/cdef', 'inside a hidden folder'],
    ['.cache/train/cats/1.jpg', 'inside a hidden folder'],
    ['data\\train\\.DS_Store', 'macOS metadata'],
  ])('ignores %s (%s)', (path, reason) => {
    expect(ignoredReason(path)).toBe(reason);
  });

  it.each(['data/train/cats/cat.1.jpg', 'cat.jpg', 'data/train/cats/cat..jpg', 'data/MACOSX/cat.jpg', 'thumbs.db.jpg', 'ünïcødé/猫.png'])(
    'keeps %s',
    (path) => {
      expect(ignoredReason(path)).toBeNull();
    },
  );
});

describe('imageTypeOf', () => {
  it.each([
    ['a/cat.jpg', 'image/jpeg'],
    ['a/cat.JPEG', 'image/jpeg'],
    ['cat.Png', 'image/png'],
    ['cat.webp', 'image/webp'],
    ['cat.GIF', 'image/gif'],
    ['cat.bmp', 'image/bmp'],
    ['archive.tar.png', 'image/png'],
  ])('%s is %s', (path, type) => {
    expect(imageTypeOf(path)).toBe(type);
  });

  it.each(['notes.txt', 'cat', 'cat.jpg.txt', 'folder.jpg/readme', '.png', 'cat.tiff'])('%s is not an accepted image name', (path) => {
    expect(imageTypeOf(path)).toBeNull();
  });
});
