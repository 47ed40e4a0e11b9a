// The validation report on a drop with a label conflict, leakage and a duplicate: each is
// shown with the files it names, "Exclude" removes them from the data set (the Classes counts
// and the DVC hash follow), "Keep as is" hides the finding and changes nothing.
import { createHash } from 'node:crypto';
import type { Locator, Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import {
  addImages,
  addToDataset,
  browsers,
  classesTable,
  dvcHash,
  dvcOfFiles,
  expectNoAlerts,
  png,
  press,
  reviewTable,
  settle,
  tempDir,
  zip,
  type DvcFile,
} from './fixtures';

const session = browsers({ perTest: true });
const temp = tempDir('pawprint-validation-');
afterAll(() => temp.remove());

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

function report(page: Page): Locator {
  return page.getByRole('region', { name: 'Validation report', exact: true });
}

/** The report's finding whose message contains `text` (the outer list item, not a path). */
function finding(page: Page, text: string): Locator {
  return report(page).locator(':scope > ul > li').filter({ hasText: text });
}

describe('dataset: validation report', () => {
  test('11. label conflict, leakage and a duplicate are reported; Exclude removes the files, Keep as is hides the finding', async () => {
    const { page } = await session.open();
    const files: Record<string, Uint8Array> = {};
    let seed = 0x900;
    for (const label of ['a', 'b']) {
      for (let i = 0; i < 12; i++) files[`data/train/${label}/${label}-${i}.png`] = png(seed++);
      for (let i = 0; i < 4; i++) files[`data/validation/${label}/${label}-v${i}.png`] = png(seed++);
    }
    const conflict = png(0x990);
    files['data/train/a/conflict.png'] = conflict;
    files['data/train/b/conflict.png'] = conflict;
    const leak = png(0x991);
    files['data/train/a/leak.png'] = leak;
    files['data/validation/a/leak.png'] = leak;
    const dup = png(0x992);
    files['data/train/b/dup-1.png'] = dup;
    files['data/train/b/dup-2.png'] = dup;
    let expected: DvcFile[] = Object.entries(files).map(([path, bytes]) => ({ relpath: path.slice(5), md5: md5(bytes), size: bytes.length }));

    await addImages(page, temp.write('problems.zip', zip(files)));
    expect(await reviewTable(page)).toEqual({ a: { train: 14, validation: 5 }, b: { train: 15, validation: 4 } });
    expect(await addToDataset(page)).toBe('35 new files, 3 files already stored.');
    await expectNoAlerts(page, 'after adding');
    expect((await classesTable(page))?.rows).toEqual({
      a: { train: 14, validation: 5, Total: 19 },
      b: { train: 15, validation: 4, Total: 19 },
    });
    expect(await dvcHash(page)).toBe(dvcOfFiles(expected).md5);

    // The three findings, each naming its files.
    const conflictFinding = finding(page, 'labelled "a" and "b"');
    const leakFinding = finding(page, 'in train (');
    const dupFinding = finding(page, 'exact copy');
    await expect.poll(() => Promise.all([conflictFinding.count(), leakFinding.count(), dupFinding.count()])).toEqual([1, 1, 1]);
    console.info(`validation report:\n  ${(await report(page).locator(':scope > ul > li').allInnerTexts()).map((t) => t.replace(/\s+/g, ' ')).join('\n  ')}`);
    expect(await conflictFinding.innerText()).toMatch(/train\/a\/conflict\.png.*train\/b\/conflict\.png/s);
    expect(await leakFinding.innerText()).toMatch(/train\/a\/leak\.png.*validation\/a\/leak\.png/s);
    expect(await dupFinding.innerText()).toMatch(/train\/b\/dup-2\.png.*train\/b\/dup-1\.png/s);
    // Its details list the files it names once opened.
    await conflictFinding.getByText('2 files', { exact: true }).click();
    await expect.poll(() => conflictFinding.getByRole('listitem').allInnerTexts()).toEqual(['train/a/conflict.png', 'train/b/conflict.png']);

    // Exclude the conflicting copies: both leave the data set.
    await press(conflictFinding.getByRole('button', { name: 'Exclude 2 files', exact: true }), 'label conflict "Exclude 2 files"');
    await expect.poll(async () => (await classesTable(page))?.rows).toEqual({
      a: { train: 13, validation: 5, Total: 18 },
      b: { train: 14, validation: 4, Total: 18 },
    });
    await settle(page);
    expect(await conflictFinding.count()).toBe(0);
    expected = expected.filter((f) => !f.relpath.endsWith('/conflict.png'));
    expect(await dvcHash(page)).toBe(dvcOfFiles(expected).md5);

    // Exclude the leaked validation copy; the train copy stays.
    await press(leakFinding.getByRole('button', { name: 'Exclude 1 file', exact: true }), 'leakage "Exclude 1 file"');
    await expect.poll(async () => (await classesTable(page))?.rows.a).toEqual({ train: 13, validation: 4, Total: 17 });
    await settle(page);
    expect(await leakFinding.count()).toBe(0);
    expected = expected.filter((f) => f.relpath !== 'validation/a/leak.png');
    expect(await dvcHash(page)).toBe(dvcOfFiles(expected).md5);

    // Keep the duplicate: the finding goes, the data set stays.
    const hash = await dvcHash(page);
    await press(dupFinding.getByRole('button', { name: 'Keep as is', exact: true }), 'duplicate "Keep as is"');
    await expect.poll(() => dupFinding.count()).toBe(0);
    await settle(page);
    expect((await classesTable(page))?.rows.b).toEqual({ train: 14, validation: 4, Total: 18 });
    expect(await dvcHash(page)).toBe(hash);
    await expectNoAlerts(page, 'after the fixes');
  });
});
