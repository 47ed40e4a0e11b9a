import { describe, expect, it } from 'vitest';
import { planIngest } from '../../src/core/dataset/plan';
import type { IngestInput } from '../../src/core/dataset/screen-file';
import { gifHeader, jpegHeader, pngHeader, text, webpLossyHeader } from './dataset-fixtures';

const file = (path: string, head: Uint8Array, size = head.length + 1000): IngestInput => ({ path, size, head });

describe('planIngest', () => {
  it('accepts the tutorial layout with relpaths, splits, labels, types and sizes', () => {
    const plan = planIngest([
      file('data/train/cats/cat.1.jpg', jpegHeader(500, 375), 23_000),
      file('data/train/dogs/dog.1.jpg', jpegHeader(320, 240), 18_000),
      file('data/validation/cats/cat.2.jpg', jpegHeader(150, 200), 9_000),
    ]);
    expect(plan.root).toBe('data');
    expect(plan.accepted).toEqual([
      { path: 'data/train/cats/cat.1.jpg', relpath: 'train/cats/cat.1.jpg', split: 'train', label: 'cats', type: 'image/jpeg', width: 500, height: 375, size: 23_000 },
      { path: 'data/train/dogs/dog.1.jpg', relpath: 'train/dogs/dog.1.jpg', split: 'train', label: 'dogs', type: 'image/jpeg', width: 320, height: 240, size: 18_000 },
      { path: 'data/validation/cats/cat.2.jpg', relpath: 'validation/cats/cat.2.jpg', split: 'validation', label: 'cats', type: 'image/jpeg', width: 150, height: 200, size: 9_000 },
    ]);
    expect(plan.ignored).toEqual([]);
    expect(plan.rejected).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.needsLabel).toEqual([]);
  });

  it('sorts out ignored, empty, non-image, damaged, oversized and badly named files, each with a reason', () => {
    const plan = planIngest([
      file('data/train/cats/ok.png', pngHeader(64, 64)),
      file('data/train/cats/.DS_Store', text('bplist')),
      file('__MACOSX/data/train/cats/._ok.png', text('fork')),
      file('data/train/cats/empty.jpg', new Uint8Array(0), 0),
      file('data/train/cats/notes.jpg', text('this is text, not a cat')),
      file('data/train/cats/readme.md', text('# readme')),
      file('data/train/cats/cut.gif', gifHeader(10, 10).subarray(0, 8)),
      file('data/train/cats/huge.png', pngHeader(30_000, 30_000)),
      file('../outside.png', pngHeader(10, 10)),
    ]);
    expect(plan.accepted.map((accepted) => accepted.path)).toEqual(['data/train/cats/ok.png']);
    expect(plan.ignored).toEqual([
      { path: 'data/train/cats/.DS_Store', reason: 'macOS metadata' },
      { path: '__MACOSX/data/train/cats/._ok.png', reason: 'macOS metadata' },
    ]);
    const reasons = Object.fromEntries(plan.rejected.map(({ path, reason }) => [path, reason]));
    expect(Object.keys(reasons)).toHaveLength(6);
    expect(reasons['data/train/cats/empty.jpg']).toBe('empty file (0 bytes)');
    expect(reasons['data/train/cats/notes.jpg']).toBe('not an image: named like a JPEG but its contents are not an image');
    expect(reasons['data/train/cats/readme.md']).toMatch(/^not an image \(only JPEG, PNG, WebP, GIF and BMP/);
    expect(reasons['data/train/cats/cut.gif']).toMatch(/^damaged GIF/);
    expect(reasons['data/train/cats/huge.png']).toMatch(/too large \(30000×30000 pixels/);
    expect(reasons['../outside.png']).toMatch(/"\.\."/);
  });

  it('accepts an image whose name lies about its type, as what it is, with a warning', () => {
    const plan = planIngest([file('cats/really-a-png.jpg', pngHeader(20, 10)), file('cats/no-extension', webpLossyHeader(20, 10))]);
    expect(plan.accepted.map(({ path, type }) => [path, type])).toEqual([
      ['cats/really-a-png.jpg', 'image/png'],
      ['cats/no-extension', 'image/webp'],
    ]);
    expect(plan.warnings).toEqual([
      { path: 'cats/really-a-png.jpg', reason: 'named like a JPEG but is a PNG; accepted as PNG' },
      { path: 'cats/no-extension', reason: 'has no image extension but is a WebP; accepted as WebP' },
    ]);
  });

  it('lists loose files as needing a label, by their original path', () => {
    const plan = planIngest([file('cat.png', pngHeader(8, 8)), file('dogs\\dog.png', pngHeader(8, 8))]);
    expect(plan.root).toBe('data');
    expect(plan.accepted.map(({ path, relpath, label }) => [path, relpath, label])).toEqual([
      ['cat.png', 'cat.png', null],
      ['dogs\\dog.png', 'dogs/dog.png', 'dogs'],
    ]);
    expect(plan.needsLabel).toEqual(['cat.png']);
  });

  it('rejects a second file whose path normalises to one already taken', () => {
    const nfc = 'data/train/chats/caf\u00e9.png';
    const nfd = 'data/train/chats/cafe\u0301.png';
    const plan = planIngest([file(nfc, pngHeader(8, 8)), file(nfd, pngHeader(8, 8)), file('data/train/chiens/a.png', pngHeader(8, 8))]);
    expect(plan.accepted.map((accepted) => accepted.relpath)).toEqual(['train/chats/caf\u00e9.png', 'train/chiens/a.png']);
    expect(plan.rejected).toEqual([{ path: nfd, reason: 'another file in this drop has the same path' }]);
  });

  it('infers the root from accepted files only', () => {
    const plan = planIngest([file('data/train/cats/a.png', pngHeader(8, 8)), file('notes.txt', text('hello')), file('.hidden', text('x'))]);
    expect(plan.root).toBe('data');
    expect(plan.accepted[0]!.relpath).toBe('train/cats/a.png');
  });

  it('stops when the signal is aborted', () => {
    const controller = new AbortController();
    controller.abort();
    expect(() => planIngest([file('a.png', pngHeader(8, 8))], { signal: controller.signal })).toThrow(/abort/i);
  });
});
