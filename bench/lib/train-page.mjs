// The Training panel driven from a benchmark, the way a person uses it (role and accessible
// name), and the stored run read back from IndexedDB. The browser tests have the same helpers
// in TypeScript (test/browser/training-helpers.ts); these are plain JS for `node bench/…`.

/**
 * Adds a zip through "Add images" → "Add to data set" and waits until the import and the
 * image check are over (no progress bar twice in a row). Returns the import message.
 * @param {import('playwright-core').Page} page @param {string} zipPath
 */
export async function importZip(page, zipPath) {
  await page.getByLabel('Add images', { exact: true }).setInputFiles(zipPath);
  const review = page.getByRole('region', { name: 'Review import', exact: true });
  await review.getByRole('button', { name: 'Add to data set', exact: true }).click();
  const result = page.getByRole('status', { name: 'Import result', exact: true });
  await Promise.race([result.waitFor(), page.getByRole('alert').first().waitFor()]);
  const alerts = await page.getByRole('alert').allInnerTexts();
  if (alerts.length) throw new Error(`import of ${zipPath} failed: ${alerts.join(' | ')}`);
  let quiet = 0;
  const deadline = Date.now() + 300_000;
  while (quiet < 2) {
    quiet = (await page.getByRole('progressbar').count()) === 0 ? quiet + 1 : 0;
    if (Date.now() > deadline) throw new Error('the import did not settle within 5 minutes');
    await page.waitForTimeout(200);
  }
  return result.innerText();
}

/**
 * @param {import('playwright-core').Page} page
 * @param {{ imageSize?: number, epochs?: number, batchSize?: number, learningRate?: number, seed?: number, backend?: string }} inputs
 */
export async function setInputs(page, inputs) {
  /** @type {[keyof typeof inputs, string][]} */
  const fields = [
    ['imageSize', 'Image size'],
    ['epochs', 'Epochs'],
    ['batchSize', 'Batch size'],
    ['learningRate', 'Learning rate'],
    ['seed', 'Seed'],
  ];
  for (const [key, name] of fields) {
    if (inputs[key] !== undefined) await page.getByRole('spinbutton', { name, exact: true }).fill(String(inputs[key]));
  }
  if (inputs.backend) await page.getByRole('combobox', { name: 'Backend', exact: true }).selectOption({ label: inputs.backend });
}

/**
 * Presses Train and waits for the "Evaluation" region (the stored result); throws with the
 * page's alert if training fails. Returns the wall time in ms and the "Backend in use" line.
 * @param {import('playwright-core').Page} page @param {number} timeoutMs
 */
export async function trainAndWait(page, timeoutMs) {
  const reasons = page.getByRole('list', { name: 'Why Train is disabled', exact: true });
  if (await reasons.count()) throw new Error(`Train is disabled: ${(await reasons.allInnerTexts()).join(' ')}`);
  const started = Date.now();
  await page.getByRole('button', { name: 'Train', exact: true }).click();
  const evaluation = page.getByRole('region', { name: 'Evaluation', exact: true });
  const alert = page.getByRole('alert').first();
  await Promise.race([evaluation.waitFor({ timeout: timeoutMs }), alert.waitFor({ timeout: timeoutMs })]);
  if (await alert.isVisible().catch(() => false)) throw new Error(`training failed: ${(await page.getByRole('alert').allInnerTexts()).join(' | ')}`);
  const backendLine = (await page.getByLabel('Backend in use', { exact: true }).innerText()).replace(/\s+/g, ' ').trim();
  const runLine = (await evaluation.getByText(/^Trained on /).innerText()).replace(/\s+/g, ' ').trim();
  return { wallMs: Date.now() - started, backendLine, runLine };
}

/**
 * The run under the ref workspace-run, from the app's IndexedDB ("pawprint": refs, objects).
 * @param {import('playwright-core').Page} page
 * @returns {Promise<{ runId: string, version: any } | null>}
 */
export function storedRun(page) {
  return page.evaluate(async () => {
    const db = await new Promise((resolve, reject) => {
      const request = indexedDB.open('pawprint');
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
    /** @param {string} store @param {string} key */
    const get = (store, key) =>
      new Promise((resolve, reject) => {
        const request = /** @type {IDBDatabase} */ (db).transaction(store, 'readonly').objectStore(store).get(key);
        request.onsuccess = () => resolve(request.result);
        request.onerror = () => reject(request.error);
      });
    try {
      const ref = /** @type {{ target: string } | undefined} */ (await get('refs', 'workspace-run'));
      if (!ref) return null;
      // Objects are stored as their canonical JSON text.
      const record = /** @type {{ json: string } | undefined} */ (await get('objects', ref.target));
      return record ? { runId: ref.target, version: JSON.parse(record.json) } : null;
    } finally {
      /** @type {IDBDatabase} */ (db).close();
    }
  });
}

/**
 * "Classify an image" latency, as the page shows it ("Inference: X ms"), for each file.
 * Between two images a file that is not an image is picked, so the result of the previous
 * image disappears (an error alert shows instead) and the next "Inference" line is surely new.
 * @param {import('playwright-core').Page} page @param {string[]} files @param {string} notAnImage
 * @returns {Promise<number[]>}
 */
export async function classifyLatencies(page, files, notAnImage) {
  const tryIt = page.getByRole('region', { name: 'Try the model', exact: true });
  const input = tryIt.getByLabel('Classify an image', { exact: true });
  const latency = tryIt.getByText(/^Inference: [\d.]+ ms$/);
  /** @type {number[]} */
  const out = [];
  for (const file of files) {
    await input.setInputFiles(notAnImage);
    await tryIt.getByRole('alert').waitFor();
    await input.setInputFiles(file);
    await latency.waitFor({ timeout: 120_000 });
    out.push(Number(/([\d.]+) ms/.exec(await latency.innerText())?.[1]));
  }
  return out;
}
