// "Download as DVC project" of a pretrained-features version, run as a user would: the
// Fashion-MNIST pair (250 train + 250 validation images per class) trained in the page with the
// bundled backbone, committed, downloaded, unzipped, and its stages run with Debian's
// python3 + torch: features.py writes the page's own feature rows per split, validate.py and
// evaluate.py the page's validation.json and evaluation.json, train.py trains
// the head on them and lands within 1 point of the page's validation accuracy.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { afterAll, describe, expect, test } from 'vitest';
import { downloadsOf } from './exchange-helpers';
import { browsers } from './fixtures';
import { chooseModel, backboneNote } from './pretrained-helpers';
import { FASHION, importZip, setInputs, storedRun, subsetZip, trainButton, waitForResult } from './training-helpers';
import { commitOk, versionItem } from './versions-helpers';

const PYTHON = '/usr/bin/python3';
const session = browsers({ perTest: false });
const folders: string[] = [];
afterAll(() => folders.forEach((folder) => rmSync(folder, { recursive: true, force: true })));

function run(folder: string, script: string): void {
  const done = spawnSync(PYTHON, [script], { cwd: folder, encoding: 'utf8', timeout: 300_000 });
  expect(done.status, `${script} failed (apt-get install python3-torch python3-yaml):\n${done.stderr}\n${String(done.error ?? '')}`).toBe(0);
}

/** The float32 rows of a .npy file (numpy.save's layout: magic, version, header length, header, data). */
function npyRows(bytes: Uint8Array, dims: number): Float32Array[] {
  const headerLength = bytes[8]! | (bytes[9]! << 8);
  const data = new Float32Array(bytes.slice(10 + headerLength).buffer);
  return Array.from({ length: data.length / dims }, (_, i) => data.subarray(i * dims, (i + 1) * dims));
}

describe('the DVC project of a pretrained-features version', () => {
  test('its features stage writes the page’s features and its train stage lands within 1 point of the page', { timeout: 900_000 }, async () => {
    const { page } = await session.shared();
    await importZip(page, { name: 'fashion-1000.zip', bytes: subsetZip(FASHION(), { train: 250, validation: 250 }) });
    await chooseModel(page, 'Pretrained features');
    await backboneNote(page);
    await setInputs(page, { epochs: 10, backend: 'WASM' });
    await trainButton(page).click();
    await waitForResult(page, 800_000);
    const pageAccuracy = (await storedRun(page))!.version.metrics['val_accuracy']!;
    await commitOk(page, 'Sandals and sneakers on MobileNetV2 features', 'v1.0');

    const files = await downloadsOf(page, 'Download as DVC project', 1, versionItem(page, 'v1.0'));
    const folder = mkdtempSync(join(tmpdir(), 'pawprint-pretrained-project-'));
    folders.push(folder);
    const project = unzipSync([...files.values()][0]!);
    for (const [path, bytes] of Object.entries(project)) {
      if (path.endsWith('/')) continue;
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), bytes);
    }

    // bottleneck/ holds the rows of the page's feature cache, byte for byte.
    const shas = readFileSync(join(folder, 'bottleneck', 'images.txt'), 'utf8').trim().split('\n');
    expect(shas).toHaveLength(1000);
    const about = JSON.parse(readFileSync(join(folder, 'bottleneck', 'backbone.json'), 'utf8')) as { features: number; layer: string };
    expect(about).toMatchObject({ layer: 'block_10_depthwise_relu+out_relu', features: 1664 });
    const rows = npyRows(new Uint8Array(readFileSync(join(folder, 'bottleneck', 'features.npy'))), about.features);
    const sample = [0, 1, 500, 999];
    const cached = await page.evaluate(async (wanted: string[]) => {
      const db = await new Promise<IDBDatabase>((resolve, reject) => {
        const request = indexedDB.open('pawprint');
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
      const store = db.transaction('derived', 'readonly').objectStore('derived');
      const keys = await new Promise<IDBValidKey[]>((resolve) => {
        const request = store.getAllKeys(IDBKeyRange.bound('features/', 'features/\uffff'));
        request.onsuccess = () => resolve(request.result);
      });
      const out: number[][] = [];
      for (const sha of wanted) {
        const key = (keys as string[]).find((k) => k.endsWith(`/${sha}`))!;
        const row = await new Promise<Float32Array>((resolve) => {
          const request = db.transaction('derived', 'readonly').objectStore('derived').get(key);
          request.onsuccess = () => resolve(request.result as Float32Array);
        });
        out.push(Array.from(row));
      }
      db.close();
      return out;
    }, sample.map((i) => shas[i]!));
    sample.forEach((i, k) => expect(Array.from(rows[i]!), `row ${i} as the page cached it`).toEqual(cached[k]));

    run(folder, 'features.py');
    expect(readFileSync(join(folder, 'features', 'validation.npy')).byteLength).toBe(128 + 500 * 1664 * 4);
    // The validate and evaluate stages rerun in Python write the page's validation.json and
    // evaluation.json (the page's head, as model.pt, on features/validation.npy) byte for byte.
    for (const script of ['validate.py', 'evaluate.py']) run(folder, script);
    for (const name of ['validation.json', 'evaluation.json']) expect(readFileSync(join(folder, name), 'utf8'), name).toBe(new TextDecoder().decode(project[name]));
    run(folder, 'train.py');
    const torchAccuracy = (JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8')) as { val_accuracy: number }).val_accuracy;
    expect(pageAccuracy, 'the page’s head').toBeGreaterThanOrEqual(0.9);
    expect(Math.abs(torchAccuracy - pageAccuracy), `PyTorch ${torchAccuracy} vs the page ${pageAccuracy}`).toBeLessThanOrEqual(0.01);
  });
});
