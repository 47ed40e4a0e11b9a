// Class names that look alike and invisible characters: what the review warns about and refuses.
import { describe, expect, test } from 'vitest';
import { labelProblem } from '../../src/core/dataset/edit';
import { decisionsProblem } from '../../src/core/dataset/ingest';
import { invisibleCharacter, visibleText } from '../../src/core/dataset/invisible-characters';
import { foldedName, lookalikeGroups } from '../../src/core/dataset/lookalike-names';
import { lookalikeClasses, reviewProblems } from '../../src/core/dataset/review-problems';
import { planIngest } from '../../src/core/dataset/plan';
import { importSpaceNeeded, pullSpaceWarning, spaceWarning } from '../../src/core/dataset/space-needed';
import { ODD_LABELS } from './odd-labels';

const RLO = '\u202e';

describe('invisible format characters in labels', () => {
  test('bidi controls, zero-width and other format characters are refused, naming the character', () => {
    expect(labelProblem(`cat${RLO}gnp`)).toBe(
      'A class name cannot contain U+202E RIGHT-TO-LEFT OVERRIDE: it is invisible, and makes the name show as another or two names that look the same differ.',
    );
    expect(labelProblem('ca\u200bt')).toMatch(/^A class name cannot contain U\+200B ZERO WIDTH SPACE:/);
    expect(labelProblem('\u2067cats')).toMatch(/U\+2067 RIGHT-TO-LEFT ISOLATE/);
    expect(labelProblem('cats\u00ad')).toMatch(/U\+00AD SOFT HYPHEN/);
    expect(labelProblem('ca\ufeffts')).toMatch(/U\+FEFF ZERO WIDTH NO-BREAK SPACE/);
    expect(labelProblem('a\u{e0041}')).toMatch(/U\+E0041 \(an invisible format character\)/);
  });

  test('joiners inside words and emoji, and the tag characters of a flag, are parts of the name', () => {
    for (const label of ['می\u200cخواهم', '👩\u200d💻 coders', '🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f} scots', ...ODD_LABELS]) {
      expect(labelProblem(label), label).toBeNull();
    }
    expect(invisibleCharacter('\u200dcats')).toBe(0x200d); // a joiner joining nothing
  });

  test('messages show what is there', () => {
    expect(visibleText(`cat${RLO}gnp`)).toBe('cat⟨U+202E⟩gnp');
  });
});

describe('lookalike names', () => {
  test('case, composed and decomposed accents, and compatibility forms fold alike', () => {
    expect(foldedName('Cat')).toBe(foldedName('cat'));
    expect(foldedName('Caf\u00e9')).toBe(foldedName('Cafe\u0301'));
    expect(foldedName('\ufb01sh')).toBe(foldedName('FISH'));
    expect(foldedName('Straße')).toBe(foldedName('STRASSE'));
    expect(foldedName('cat')).not.toBe(foldedName('cats'));
    expect(lookalikeGroups(['Cat', 'dog', 'cat', 'CAT', 'Dog', 'bird'])).toEqual([
      ['Cat', 'cat', 'CAT'],
      ['dog', 'Dog'],
    ]);
  });

  test('the review names lookalike classes of the drop, against each other and the data set', () => {
    expect(lookalikeClasses(['cat', 'dogs'], ['Cat', 'birds', 'Birds'])).toEqual([
      {
        names: ['Cat', 'cat'],
        existing: ['Cat'],
        message: '“Cat” and “cat” differ only in case (“Cat” is in the data set already): on macOS and Windows their folders are one folder. Merge them, or rename one.',
      },
    ]);
    expect(lookalikeClasses(['Caf\u00e9', 'Cafe\u0301'], [])[0]!.message).toMatch(/differ only in Unicode normalisation:/);
    expect(lookalikeClasses(['cats', 'dogs'], ['birds'])).toEqual([]);
  });
});

describe('review problems', () => {
  const plan = planIngest(
    [`data/train/cat${RLO}gnp/1.png`, 'data/train/dogs/1.png', 'loose.png'].map((path) => ({ path, size: 60, head: pngHead() })),
  );

  test('files without a class and a folder with an invisible character are asked about, not stored', () => {
    expect(reviewProblems(
      [
        { label: `cat${RLO}gnp`, total: 1 },
        { label: null, total: 1 },
      ],
      { renames: new Map() },
    )).toEqual([
      'The folder “cat⟨U+202E⟩gnp” cannot be a class as it is: A class name cannot contain U+202E RIGHT-TO-LEFT OVERRIDE: it is invisible, and makes the name show as another or two names that look the same differ. Rename it here.',
      '1 file has no class folder: type their class in “Class for 1 loose file”.',
    ]);
    expect(decisionsProblem(plan, { looseLabel: 'dogs', renames: new Map([[`cat${RLO}gnp`, 'cats']]) })).toBeNull();
    expect(decisionsProblem(plan, { looseLabel: 'dogs', renames: new Map() })).toMatch(/^The folder “cat⟨U\+202E⟩gnp”/);
    expect(decisionsProblem(plan, { looseLabel: `x${RLO}`, renames: new Map([[`cat${RLO}gnp`, 'cats']]) })).toMatch(/^“x⟨U\+202E⟩”: A class name cannot contain U\+202E/);
  });
});

/** A PNG header (signature + IHDR of 16×16) the planner sniffs as an image. */
function pngHead(): Uint8Array {
  const bytes = new Uint8Array(33);
  bytes.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 16, 0, 0, 0, 16, 8, 2, 0, 0, 0]);
  return bytes;
}

describe('space an import needs', () => {
  test('files with their records, and the decoded images of the check, against what the browser says is left', () => {
    const needed = importSpaceNeeded(1200, 24_000_000, 64);
    expect(needed).toEqual({ files: 24_240_000, decoded: 14_745_600, total: 38_985_600 });
    expect(spaceWarning(needed, { usage: 1_000_000, quota: 100_000_000 })).toBeNull();
    expect(spaceWarning(needed, { usage: 1_000_000, quota: 6_000_000 })).toBe(
      'This import may need up to 39.0 MB (files 24.2 MB, decoded images 14.7 MB), and the browser lets this site store about 5.0 MB more. It may fail part-way; nothing would be added then, and what it stored would be removed again. Free space with Clean up (under Storage) or by deleting versions, or allow this site more storage.',
    );
    expect(spaceWarning(needed, { usage: 0, quota: 30_000_000 })).toMatch(/The files fit, but their decoded copies may not be kept/);
    expect(spaceWarning(needed, {})).toBeNull();
  });
});

describe('space a pull needs', () => {
  test('its files against what the browser says is left', () => {
    expect(pullSpaceWarning(67_000_000, { usage: 0, quota: 1_000_000_000 })).toBeNull();
    expect(pullSpaceWarning(67_000_000, { usage: 10_000_000, quota: 15_000_000 })).toBe(
      'This pull fetches 67.0 MB of files, and the browser lets this site store about 5.0 MB more: it may fail, and then nothing is added. Free space with Clean up (under Storage) or by deleting versions, or allow this site more storage.',
    );
  });
});
