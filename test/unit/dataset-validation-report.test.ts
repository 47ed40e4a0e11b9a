import { describe, expect, it } from 'vitest';
import type { Finding, ValidationEntry } from '../../src/core/dataset/finding';
import type { Split } from '../../src/core/objects/types';
import { validationReport } from '../../src/core/dataset/validation-report';

let nextSha = 0;
const uniqueSha = () => `sha-${nextSha++}`;

/** `count` distinct images of a class in a split, 100×100 unless given. */
function images(split: Split | null, label: string, count: number, extra: Partial<ValidationEntry> = {}): ValidationEntry[] {
  return Array.from({ length: count }, (_, i) => ({
    path: `${split ?? ''}${split ? '/' : ''}${label}/${i}.jpg`,
    sha256: uniqueSha(),
    size: 1000,
    split,
    label,
    width: 100,
    height: 100,
    ...extra,
  }));
}

const one = (path: string, sha256: string, split: Split | null, label: string | null, extra: Partial<ValidationEntry> = {}): ValidationEntry => ({
  path,
  sha256,
  size: 1000,
  split,
  label,
  width: 100,
  height: 100,
  ...extra,
});

/** A clean, balanced tutorial-like data set: no findings but the size range. */
const clean = () => [...images('train', 'cats', 20), ...images('train', 'dogs', 20), ...images('validation', 'cats', 10), ...images('validation', 'dogs', 10)];

const ofKind = (findings: Finding[], kind: Finding['kind']) => findings.filter((finding) => finding.kind === kind);

describe('validationReport', () => {
  it('reports only the size range (as info) for a clean data set', () => {
    const findings = validationReport(clean());
    expect(findings).toEqual([
      { kind: 'size-spread', severity: 'info', message: 'All images have a longest side of 100 pixels.', paths: ['train/cats/0.jpg'], fix: null },
    ]);
  });

  it('lists undecodable images, suggests excluding them, and leaves them out of the other checks', () => {
    const broken = one('train/cats/broken.jpg', 'same', 'train', 'cats', { decodeError: 'invalid JPEG data', width: 10_000, height: 10 });
    const copy = one('train/dogs/copy.jpg', 'same', 'train', 'dogs');
    const findings = validationReport([...clean(), broken, copy]);
    expect(ofKind(findings, 'undecodable')).toEqual([
      {
        kind: 'undecodable',
        severity: 'warning',
        message: '"train/cats/broken.jpg" could not be decoded (invalid JPEG data); it is left out of training.',
        paths: ['train/cats/broken.jpg'],
        fix: 'exclude',
      },
    ]);
    expect(ofKind(findings, 'label-conflict')).toEqual([]);
    expect(ofKind(findings, 'size-spread')[0]!.severity).toBe('info');
  });

  it('reports the same content under two labels as a label conflict', () => {
    const findings = validationReport([...clean(), one('train/cats/x.jpg', 'dup', 'train', 'cats'), one('train/dogs/x.jpg', 'dup', 'train', 'dogs')]);
    const [conflict, ...rest] = ofKind(findings, 'label-conflict');
    expect(rest).toEqual([]);
    expect(conflict).toMatchObject({ severity: 'error', paths: ['train/cats/x.jpg', 'train/dogs/x.jpg'], fix: 'exclude' });
    expect(conflict!.message).toMatch(/^The same image is labelled "cats" and "dogs": "train\/cats\/x\.jpg" and "train\/dogs\/x\.jpg"\./);
  });

  it('reports the same content in train and validation or test as leakage, pointing at the held-out copies', () => {
    const findings = validationReport([
      ...clean(),
      one('train/cats/a.jpg', 'leak', 'train', 'cats'),
      one('validation/cats/a.jpg', 'leak', 'validation', 'cats'),
      one('test/cats/a.jpg', 'leak', 'test', 'cats'),
    ]);
    const leaks = ofKind(findings, 'leakage');
    expect(leaks).toHaveLength(1);
    expect(leaks[0]).toMatchObject({ severity: 'warning', paths: ['test/cats/a.jpg', 'validation/cats/a.jpg'], fix: 'exclude' });
    expect(leaks[0]!.message).toContain('in train ("train/cats/a.jpg") and in validation and test');
    expect(ofKind(findings, 'duplicate')).toEqual([]);
  });

  it('does not call copies across validation and test leakage', () => {
    const findings = validationReport([...clean(), one('validation/cats/a.jpg', 'x', 'validation', 'cats'), one('test/cats/a.jpg', 'x', 'test', 'cats')]);
    expect(ofKind(findings, 'leakage')).toEqual([]);
  });

  it('reports exact duplicates within a class, suggesting to exclude all but one', () => {
    const findings = validationReport([
      ...clean(),
      one('train/cats/b.jpg', 'twin', 'train', 'cats'),
      one('train/cats/a.jpg', 'twin', 'train', 'cats'),
      one('train/cats/c.jpg', 'twin', 'train', 'cats'),
    ]);
    expect(ofKind(findings, 'duplicate')).toEqual([
      {
        kind: 'duplicate',
        severity: 'info',
        message: '"train/cats/b.jpg" and "train/cats/c.jpg" are 2 exact copies of "train/cats/a.jpg" in class "cats". Excluding the copies keeps one.',
        paths: ['train/cats/b.jpg', 'train/cats/c.jpg'],
        fix: 'exclude',
      },
    ]);
  });

  it('reports class imbalance over 3:1 per split, but not at exactly 3:1', () => {
    const balancedEnough = [...images('train', 'cats', 30), ...images('train', 'dogs', 10)];
    expect(ofKind(validationReport(balancedEnough), 'imbalance')).toEqual([]);
    const findings = validationReport([...images('train', 'cats', 31), ...images('train', 'dogs', 10), ...images('validation', 'cats', 10), ...images('validation', 'dogs', 10)]);
    const imbalance = ofKind(findings, 'imbalance');
    expect(imbalance).toHaveLength(1);
    expect(imbalance[0]).toMatchObject({ severity: 'warning', fix: null });
    expect(imbalance[0]!.message).toMatch(/^The classes in train are imbalanced: "cats" has 31 images, "dogs" only 10 \(3\.1:1/);
  });

  it('reports a class missing from a split that has data', () => {
    const findings = validationReport([...images('train', 'cats', 10), ...images('train', 'dogs', 10), ...images('validation', 'cats', 10)]);
    expect(ofKind(findings, 'imbalance').map((finding) => finding.message)).toEqual(['There are no images of class "dogs" in validation.']);
  });

  it('checks imbalance among images without a split folder too', () => {
    const findings = validationReport([...images(null, 'cats', 40), ...images(null, 'dogs', 10)]);
    expect(ofKind(findings, 'imbalance')[0]!.message).toContain('in the images without a split folder');
  });

  it('reports classes with fewer than 10 images, naming their files', () => {
    const findings = validationReport([...images('train', 'cats', 12), ...images('train', 'dogs', 6), ...images('validation', 'dogs', 3)]);
    const small = ofKind(findings, 'small-class');
    expect(small).toHaveLength(1);
    expect(small[0]).toMatchObject({ severity: 'warning', fix: null, message: 'Class "dogs" has only 9 images; at least 10 are needed to learn it.' });
    expect(small[0]!.paths).toHaveLength(9);
  });

  it('reports a single class as an error', () => {
    const findings = validationReport(images('train', 'cats', 20));
    expect(ofKind(findings, 'single-class')).toEqual([
      {
        kind: 'single-class',
        severity: 'error',
        message: 'Only one class ("cats") was found; a classifier needs at least two. Add images of another class.',
        paths: [],
        fix: null,
      },
    ]);
    expect(ofKind(findings, 'imbalance')).toEqual([]);
  });

  it('warns about a size spread over 4× and reports a narrower one as info', () => {
    const narrow = [...clean(), one('train/cats/big.jpg', 'b', 'train', 'cats', { width: 400, height: 300 })];
    expect(ofKind(validationReport(narrow), 'size-spread')[0]).toMatchObject({
      severity: 'info',
      message: 'Image sizes range from 100×100 ("train/cats/0.jpg") to 400×300 ("train/cats/big.jpg").',
      paths: ['train/cats/0.jpg', 'train/cats/big.jpg'],
    });
    const wide = [...clean(), one('train/cats/big.jpg', 'b', 'train', 'cats', { width: 401, height: 300 })];
    const [spread] = ofKind(validationReport(wide), 'size-spread');
    expect(spread).toMatchObject({ severity: 'warning', fix: 'keep', paths: ['train/cats/0.jpg', 'train/cats/big.jpg'] });
    expect(spread!.message).toMatch(/^Image sizes vary a lot, from 100×100 \("train\/cats\/0\.jpg"\) to 401×300/);
  });

  it('returns findings in kind order', () => {
    const findings = validationReport([
      ...images('train', 'cats', 40),
      ...images('train', 'dogs', 5),
      one('train/cats/x.jpg', 'dup', 'train', 'cats', { width: 1000, height: 1000 }),
      one('train/dogs/x.jpg', 'dup', 'train', 'dogs'),
      one('train/cats/bad.jpg', 'bad', 'train', 'cats', { decodeError: 'truncated' }),
    ]);
    expect(findings.map((finding) => finding.kind)).toEqual(['undecodable', 'label-conflict', 'imbalance', 'small-class', 'size-spread']);
  });

  it('returns no findings for an empty data set', () => {
    expect(validationReport([])).toEqual([]);
  });
});
