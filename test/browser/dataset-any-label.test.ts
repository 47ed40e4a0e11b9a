// Class folders may have any name a file system allows: the names of Object.prototype's members,
// names that differ only in case, spaces, dots, emoji, right-to-left text. Through the page, as a
// person: import a zip of such folders, read the Classes table, rename one, train 1 epoch on
// WASM, then Download model and Download as DVC project, and check the labels in what they hold.
import { createHash } from 'node:crypto';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, describe, expect, test } from 'vitest';
import { downloadsOf } from './exchange-helpers';
import { addImages, addToDataset, browsers, classesTable, dvcHash, dvcOfFiles, expectNoAlerts, png, press, review, reviewTable, settle, tempDir, zip, type DvcFile } from './fixtures';
import { setInputs, trainButton, waitForResult } from './training-helpers';

const session = browsers({ perTest: false });
const temp = tempDir('pawprint-labels-');
afterAll(() => temp.remove());

const LABELS = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'Cats', 'cats', 'two words', 'v1.2.final', '🐱 kitty', 'قطط'];
const TRAIN = 4;
const VALIDATION = 2;
const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function labelsZip(): { bytes: Uint8Array; files: Map<string, Uint8Array> } {
  const files = new Map<string, Uint8Array>();
  LABELS.forEach((label, c) => {
    for (let i = 0; i < TRAIN + VALIDATION; i++) files.set(`${i < TRAIN ? 'train' : 'validation'}/${label}/${i}.png`, png(0x1000 * (c + 1) + i, 24, 24));
  });
  return { bytes: zip(Object.fromEntries([...files].map(([path, bytes]) => [`data/${path}`, bytes]))), files };
}

describe('dataset: any folder name is a class', () => {
  const { bytes, files } = labelsZip();
  // "cats" is renamed too: beside "Cats" it would make the DVC project unpack wrongly on macOS and Windows, which the export refuses.
  const renamed = (label: string) => (label === 'toString' ? 'prototype' : label === 'cats' ? 'lower cats' : label);
  const classNames = LABELS.map(renamed).sort(byCodePoint);

  test('import, Classes table and rename keep each name a class of its own', async () => {
    const { page } = await session.shared();
    await addImages(page, temp.write('labels.zip', bytes));
    await review(page).waitFor();
    expect(await reviewTable(page)).toEqual(Object.fromEntries(LABELS.map((label) => [label, { train: TRAIN, validation: VALIDATION }])));
    // Named in the review's row order.
    const lookalike = review(page).getByRole('group', { name: 'Lookalike classes cats, Cats', exact: true });
    expect(await lookalike.innerText()).toMatch(/“cats” and “Cats” differ only in case: on macOS and Windows their folders are one folder\. Merge them, or rename one\./);
    expect(await addToDataset(page)).toBe(`${LABELS.length * (TRAIN + VALIDATION)} new files, 0 files already stored.`);
    expect((await classesTable(page))?.rows).toEqual(Object.fromEntries(LABELS.map((label) => [label, { train: TRAIN, validation: VALIDATION, Total: TRAIN + VALIDATION }])));
    await expectNoAlerts(page, 'after the import');

    await press(page.getByRole('button', { name: 'Rename class toString', exact: true }), '"Rename class toString"');
    await page.getByRole('textbox', { name: 'New name for toString', exact: true }).fill('prototype');
    await press(page.getByRole('button', { name: 'Rename', exact: true }), '"Rename"');
    await expect.poll(async () => Object.keys((await classesTable(page))?.rows ?? {})).toContain('prototype');
    await press(page.getByRole('button', { name: 'Rename class cats', exact: true }), '"Rename class cats"');
    await page.getByRole('textbox', { name: 'New name for cats', exact: true }).fill('lower cats');
    await press(page.getByRole('button', { name: 'Rename', exact: true }), '"Rename"');
    await expect.poll(async () => Object.keys((await classesTable(page))?.rows ?? {}).sort(byCodePoint)).toEqual(classNames);
    await settle(page);
    const renamedFiles: DvcFile[] = [...files].map(([path, content]) => {
      const [split, label, name] = path.split('/') as [string, string, string];
      return { relpath: `${split}/${renamed(label)}/${name}`, md5: md5(content), size: content.length };
    });
    expect(await dvcHash(page), 'the DVC hash python3 computes for the renamed folders').toBe(dvcOfFiles(renamedFiles).md5);
    await expectNoAlerts(page, 'after the rename');
  });

  test('1 epoch on WASM, then Download model and Download as DVC project carry every class', async () => {
    const { page } = await session.shared();
    await setInputs(page, { imageSize: 24, epochs: 1, batchSize: 8, backend: 'WASM' });
    await trainButton(page).click();
    await waitForResult(page);
    await expectNoAlerts(page, 'after training');

    const model = await downloadsOf(page, 'Download model', 3);
    const metadata = JSON.parse(strFromU8(model.get('metadata.json')!)) as { labels: string[] };
    expect(metadata.labels).toEqual(classNames);
    const modelJson = JSON.parse(strFromU8(model.get('model.json')!)) as { weightsManifest: { weights: { shape: number[] }[] }[] };
    expect(modelJson.weightsManifest[0]!.weights.at(-1)?.shape, 'the output bias: one per class').toEqual([LABELS.length]);

    await page.getByLabel('Message').fill('Any folder name');
    await page.getByRole('button', { name: 'Commit' }).click();
    const item = page.getByRole('list', { name: 'Versions' }).getByRole('listitem').filter({ hasText: 'Any folder name' });
    await item.waitFor();
    const [[, project]] = [...(await downloadsOf(page, 'Download as DVC project', 1, item))] as [[string, Uint8Array]];
    const entries = unzipSync(project);
    for (const [path, content] of files) {
      const [split, label, name] = path.split('/') as [string, string, string];
      expect(entries[`data/${split}/${renamed(label)}/${name}`], path).toEqual(content);
    }
    expect((JSON.parse(strFromU8(entries['model/metadata.json']!)) as { labels: string[] }).labels).toEqual(classNames);
    expect(strFromU8(entries['metrics.csv']!).split('\r\n')[0]).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    await expectNoAlerts(page, 'after the downloads');
  });
});

function md5(bytes: Uint8Array): string {
  return createHash('md5').update(bytes).digest('hex');
}
