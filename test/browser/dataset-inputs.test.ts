// Every way data comes in, in one browser profile, in order: a folder ("Add folder"), a real
// drop (a zip, then loose files that need a class), bad input that must leave the data set as
// it was, unicode and very long names, and Cancel while storing.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import {
  HANG,
  addFolder,
  addImages,
  addToDataset,
  browsers,
  classesTable,
  dataset,
  dropFiles,
  dvcFileText,
  dvcHash,
  dvcOf,
  dvcOfFiles,
  dvcText,
  expectNoAlerts,
  openGrid,
  png,
  pngHeader,
  press,
  randomBytes,
  review,
  reviewTable,
  settle,
  tempDir,
  usage,
  zip,
  type DvcFile,
} from './fixtures';

const session = browsers({ perTest: false });
const app = () => session.shared();
const temp = tempDir('pawprint-inputs-');
afterAll(() => temp.remove());

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');
const FASHION_V1 = {
  sandal: { train: 500, validation: 400, Total: 900 },
  sneaker: { train: 500, validation: 400, Total: 900 },
};

/** The workspace as DVC would see it, kept up to date by the tests as they add files. */
let expected: DvcFile[] = [];

/** What must not change when an input is refused or cancelled. */
async function snapshot(page: Page) {
  return { table: await classesTable(page), hash: await dvcHash(page), objects: (await usage(page)).objects };
}

describe('dataset: every way in, and bad input', () => {
  test('4. "Add folder" with the Fashion folder gives the same classes and DVC hash as data.zip', async () => {
    const { page } = await app();
    const folder = dataset('fashion/data/data');
    const fromFolder = dvcOf([folder]);
    const fromZip = dvcOf([dataset('fashion/data.zip')]);
    expect(fromFolder.out).toEqual(fromZip.out);

    await addFolder(page, folder);
    expect(await reviewTable(page)).toEqual({
      sandal: { train: 500, validation: 400 },
      sneaker: { train: 500, validation: 400 },
    });
    expect(await addToDataset(page)).toBe('1 800 new files, 0 files already stored.');
    expect((await classesTable(page))?.rows).toEqual(FASHION_V1);
    expect(await dvcHash(page)).toBe(fromFolder.out.md5);
    expect(await dvcText(page)).toBe(dvcFileText(fromFolder.out));
    expected = fromFolder.files;
    await expectNoAlerts(page, 'after adding the folder');
  });

  test('5. a real drop: a zip shows its review; loose files ask for a class and land under it', async () => {
    const { page } = await app();
    const before = await snapshot(page);

    // A zip dropped on the page (dragenter, dragover, drop with a DataTransfer).
    await dropFiles(page, [{ name: 'data.zip', bytes: readFileSync(dataset('photos/data.zip')) }]);
    await review(page).waitFor();
    expect(await reviewTable(page)).toEqual({
      animals: { train: 74, validation: 18 },
      birds: { train: 28, validation: 7 },
      food: { train: 40, validation: 10 },
      plants: { train: 31, validation: 7 },
    });
    // Changed our mind: Cancel in the review adds nothing.
    await press(review(page).getByRole('button', { name: 'Cancel', exact: true }), 'review "Cancel"');
    await review(page).waitFor({ state: 'detached' });
    expect(await snapshot(page)).toEqual(before);

    // Three loose images, no class folder: the review asks for their class.
    const loose = [1, 2, 3].map((i) => ({ name: `loose-${i}.png`, bytes: png(0x100 + i) }));
    await dropFiles(page, loose);
    expect(await reviewTable(page)).toEqual({ 'loose: Class for 3 loose files': { unsplit: 3 } });
    await review(page).getByRole('textbox', { name: 'Class for 3 loose files' }).fill('boots');
    expect(await addToDataset(page)).toBe('3 new files, 0 files already stored.');
    await expectNoAlerts(page, 'after adding loose files');
    const classes = await classesTable(page);
    expect(classes?.columns).toEqual(['train', 'validation', 'unsplit']);
    expect(classes?.rows).toEqual({
      boots: { train: 0, validation: 0, unsplit: 3, Total: 3 },
      sandal: { train: 500, validation: 400, unsplit: 0, Total: 900 },
      sneaker: { train: 500, validation: 400, unsplit: 0, Total: 900 },
    });
    expected = [...expected, ...loose.map((f) => ({ relpath: `boots/${f.name}`, md5: md5(f.bytes), size: f.bytes.length }))];
    expect(await dvcHash(page)).toBe(dvcOfFiles(expected).md5);
    const grid = await openGrid(page, 'boots');
    await expect.poll(() => grid.getByRole('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).alt))).toEqual([
      'boots/loose-1.png',
      'boots/loose-2.png',
      'boots/loose-3.png',
    ]);
  });

  test('6. bad input is refused with a reason and leaves the data set untouched', async () => {
    const { page } = await app();
    const good = png(0x200);
    const fashionZip = readFileSync(dataset('fashion/data.zip'));
    const cases: { name: string; bytes: Uint8Array; listed: string; reason: RegExp }[] = [
      {
        name: 'zip-slip.zip',
        bytes: zip({ 'data/train/boots/ok.png': good, '../evil.png': png(0x201) }),
        listed: 'zip-slip.zip',
        reason: /\.\.\/evil\.png.*(refused|\.\.)/,
      },
      {
        name: 'absolute.zip',
        bytes: zip({ 'data/train/boots/ok.png': good, '/etc/evil.png': png(0x202) }),
        listed: 'absolute.zip',
        reason: /\/etc\/evil\.png.*absolute/,
      },
      {
        name: 'truncated.zip',
        bytes: fashionZip.subarray(0, Math.floor(fashionZip.length / 2)),
        listed: 'truncated.zip',
        reason: /truncat|damaged|incomplete|corrupt|not a (valid )?zip|end of central directory/i,
      },
      {
        name: 'fake.png',
        bytes: randomBytes(5_000, 0x203),
        listed: 'fake.png',
        reason: /not an image/i,
      },
      {
        name: 'huge.png',
        bytes: pngHeader(30_000, 30_000, randomBytes(2_000, 0x204)),
        listed: 'huge.png',
        reason: /too large.*30\s?000\s?×\s?30\s?000/,
      },
      {
        name: 'empty.png',
        bytes: new Uint8Array(0),
        listed: 'empty.png',
        reason: /empty|0 bytes/i,
      },
    ];
    const before = await snapshot(page);
    const blobsBefore = (await usage(page)).blobs;
    const problems: string[] = [];
    for (const bad of cases) {
      await addImages(page, [{ name: bad.name, bytes: bad.bytes }]);
      const notAdded = page.getByRole('list', { name: 'Not added', exact: true });
      const alert = page.getByRole('alert');
      await Promise.race([notAdded.waitFor(), alert.first().waitFor()]);
      await settle(page);
      const listed = (await notAdded.count()) ? await notAdded.innerText() : '';
      const alerts = (await alert.allInnerTexts()).join(' | ');
      const said = `${listed} ${alerts}`;
      if (!said.includes(bad.listed) && !bad.reason.test(said)) problems.push(`${bad.name}: not named in "Not added" nor in an alert (saw: ${said.trim() || 'nothing'})`);
      else if (!bad.reason.test(said)) problems.push(`${bad.name}: no reason matching ${bad.reason} (saw: ${said.trim()})`);
      // Nothing to add: the page must not offer to add anything.
      expect(await page.getByRole('button', { name: 'Add to data set' }).count(), `${bad.name}: "Add to data set" offered`).toBe(0);
      expect(await snapshot(page), `${bad.name}: the data set changed`).toEqual(before);
      expect((await usage(page)).blobs, `${bad.name}: blobs were stored`).toBe(blobsBefore);
      console.info(`${bad.name}: ${said.replace(/\s+/g, ' ').trim()}`);
    }
    expect(problems).toEqual([]);
  });

  test('6b. unicode and very long file names are accepted and shown in the grid', async () => {
    const { page } = await app();
    const unicode = 'data/train/chats noirs/éléphant-日本-😀.png';
    const long = `data/train/chats noirs/${'long-name-'.repeat(19)}0123456789.png`;
    expect(long.split('/').at(-1)).toHaveLength(204);
    const files = { [unicode]: png(0x300), [long]: png(0x301) };
    const path = temp.write('unicode.zip', zip(files));
    const zipped = dvcOf([path]);

    await addImages(page, path);
    expect(await reviewTable(page)).toEqual({ 'chats noirs': { train: 2 } });
    expect(await addToDataset(page)).toBe('2 new files, 0 files already stored.');
    await expectNoAlerts(page, 'after adding unicode names');
    expect((await classesTable(page))?.rows['chats noirs']).toEqual({ train: 2, validation: 0, unsplit: 0, Total: 2 });
    expected = [...expected, ...zipped.files];
    expect(await dvcHash(page), 'DVC hash with non-ASCII relpaths (python json.dumps escapes them)').toBe(dvcOfFiles(expected).md5);

    const grid = await openGrid(page, 'chats noirs');
    await expect
      .poll(() => grid.getByRole('img').evaluateAll((imgs) => imgs.map((i) => (i as HTMLImageElement).alt).sort()))
      .toEqual([long.slice('data/'.length), unicode.slice('data/'.length)].sort());
  });

  test('7. Cancel next to the "Storing files" progress bar adds nothing', async () => {
    const { page } = await app();
    const path = temp.write('big.zip', zip(bigFiles(3000, 0x4000)));
    const before = await snapshot(page);

    await addImages(page, path);
    expect(await reviewTable(page)).toEqual({ cats: { train: 1500 }, dogs: { train: 1500 } });
    const pressed = cancelWhileStoring(page, 'progress');
    await press(review(page).getByRole('button', { name: 'Add to data set', exact: true }), '"Add to data set"');
    const storingText = await pressed;
    console.info(`while storing: "${storingText}"`);
    expect(storingText).toMatch(/[\d ]+ \/ 3 000 files · [\d ]+ files\/s · [\d.]+ \S?B\/s · (about .+ left|estimating…)/);

    const result = page.getByRole('status', { name: 'Import result' });
    await expect.poll(() => result.innerText(), { timeout: HANG }).toBe('Cancelled: nothing was added to the data set.');
    await settle(page);
    expect(await snapshot(page)).toEqual(before);
    await expectNoAlerts(page, 'after Cancel');
  });

  test('7b. while storing, every "Cancel" on the page cancels (the review\'s too)', async () => {
    const { page } = await app();
    const path = temp.write('big2.zip', zip(bigFiles(1200, 0x8000)));
    const before = await snapshot(page);

    await addImages(page, path);
    await review(page).waitFor();
    // A person sees the review's "Cancel" (right under "Add to data set") and presses it.
    const pressed = cancelWhileStoring(page, 'review');
    await press(review(page).getByRole('button', { name: 'Add to data set', exact: true }), '"Add to data set"');
    console.info(`while storing: ${await pressed}`);
    await settle(page);
    const after = await snapshot(page);
    const result = await page.getByRole('status', { name: 'Import result' }).innerText().catch(() => '(none)');
    expect(after, `pressed the review's "Cancel" while storing; Import result then said "${result}"`).toEqual(before);
  });
});

/**
 * Presses "Cancel" while the "Storing files" bar shows its first count: the review's Cancel
 * when the review is still shown (`'review'`, else the first one on the page), or the one
 * next to the bar. The click happens in the page, from a MutationObserver set up before
 * "Add to data set" is pressed: Playwright's own click takes a second or more on a loaded
 * machine, by which time all 3 000 files may be stored, so whether the Cancel came in time
 * would depend on the load. Resolves with what the page showed when Cancel was pressed.
 */
function cancelWhileStoring(page: Page, which: 'progress' | 'review'): Promise<string> {
  return page.evaluate(
    (which) =>
      new Promise<string>((resolve) => {
        const named = (root: ParentNode, name: string) => [...root.querySelectorAll('button')].find((b) => b.textContent?.trim() === name && !b.disabled);
        const tryPress = () => {
          const bar = document.querySelector('progress[aria-label="Storing files"]');
          const line = bar?.closest('.progress');
          const text = line?.querySelector('[aria-live]')?.textContent ?? '';
          if (!line || !/[\d ]+ \/ [\d ]+ files · [\d ]+ files\/s · [\d.]+ \S?B\/s · (about .+ left|estimating…)/.test(text)) return false;
          const reviewRegion = document.querySelector('section[aria-label="Review import"]');
          const button = which === 'progress' ? named(line, 'Cancel') : (reviewRegion && named(reviewRegion, 'Cancel')) || named(document, 'Cancel');
          if (!button) return false;
          observer.disconnect();
          const said = `${(line as HTMLElement).innerText.replace(/\s+/g, ' ').trim()} — pressed ${which === 'progress' ? 'the progress line\'s' : reviewRegion ? "the review's" : 'the first'} "Cancel"`;
          button.click();
          resolve(said);
          return true;
        };
        const observer = new MutationObserver(() => void tryPress());
        observer.observe(document.body, { subtree: true, childList: true, characterData: true });
      }),
    which,
  );
}

/** `count` files of ~20 KB in train/cats and train/dogs: PNG headers over random bytes, so nothing compresses and storing takes seconds. */
function bigFiles(count: number, seed: number): Record<string, Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  for (let i = 0; i < count; i++) {
    files[`data/train/${i % 2 ? 'cats' : 'dogs'}/${String(seed + i)}.png`] = pngHeader(64, 64, randomBytes(20_000, seed + i));
  }
  return files;
}
