import { describe, expect, it } from 'vitest';
import { formatBytes } from '../../src/core/format/bytes';
import { countOf, formatDuration, groupDigits } from '../../src/core/format/numbers';
import { describeProgress } from '../../src/core/format/progress';

describe('formatting for people', () => {
  it('writes bytes in decimal units', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(999)).toBe('999 B');
    expect(formatBytes(1500)).toBe('1.5 KB');
    expect(formatBytes(67_000_000)).toBe('67.0 MB');
    expect(formatBytes(250_000_000_000)).toBe('250 GB');
    expect(formatBytes(-1)).toBe('?');
  });

  it('groups digits and counts', () => {
    expect(groupDigits(1000)).toBe('1 000');
    expect(groupDigits(1234567.8)).toBe('1 234 568');
    expect(countOf(1, 'file')).toBe('1 file');
    expect(countOf(2800, 'file')).toBe('2 800 files');
    expect(formatDuration(0.2)).toBe('1 s');
    expect(formatDuration(125)).toBe('2 min 5 s');
  });

  it('describes progress with rate and ETA', () => {
    expect(describeProgress({ done: 500, total: 2000, bytes: 10_000_000 }, 2000)).toBe(
      '500 / 2 000 files · 250 files/s · 5.0 MB/s · about 6 s left',
    );
    expect(describeProgress({ done: 0, total: 10, bytes: 0 }, 0)).toMatch(/estimating/);
    expect(describeProgress({ done: 10, total: 10, bytes: 100 }, 1000)).toMatch(/finishing/);
    expect(describeProgress({ done: 30, total: 60 }, 1000)).toBe('30 / 60 files · 30 files/s · about 1 s left');
  });
});
