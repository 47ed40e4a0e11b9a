import { describe, expect, it } from 'vitest';
import { dropName } from '../../src/core/dataset/drop-name';

const files = (...paths: string[]) => paths.map((path) => ({ path }));

describe('dropName: how a queued drop is named', () => {
  it('names one file by its file name, a folder by its name and count, anything else by its count', () => {
    expect(dropName(files('new-labels.zip'))).toBe('new-labels.zip');
    expect(dropName(files('photos/cats/a.png'))).toBe('a.png');
    expect(dropName(files('photos/cats/a.png', 'photos/dogs/b.png', 'photos/c.png'))).toBe('photos (3 files)');
    expect(dropName(files('a.png', 'photos/b.png'))).toBe('2 files');
    expect(dropName(files('a.png', 'b.png'))).toBe('2 files');
    expect(dropName(files('__proto__/a.png', '__proto__/b.png'))).toBe('__proto__ (2 files)');
  });
});
