// bench:exchange, second half: one version trained in the page, then "Download as DVC project"
// and the exported train.py run with Debian's python3 + torch on it, as a user moving the
// experiment to another machine would. Same data, params and seed; the two val accuracies
// and run times side by side.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { PYTHON } from '../../test/harness/python.mjs';
import { openFreshApp } from './browser.mjs';
import { median } from './stats.mjs';
import { importZip, setInputs, storedRun, trainAndWait } from './train-page.mjs';

/** The same parameters bench:train uses for the Fashion-MNIST pair. */
export const TRAIN_INPUTS = { imageSize: 28, epochs: 5, batchSize: 32, learningRate: 0.001, seed: 42, backend: 'WASM' };

/** torch's version, or a clear error when Debian's python3-torch is missing. */
export function torchVersion() {
  try {
    return execFileSync(PYTHON, ['-c', 'import torch, PIL, yaml; print(torch.__version__)'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
  } catch {
    throw new Error(`bench:exchange runs the exported train.py with ${PYTHON}: apt-get install -y python3-torch python3-pil python3-yaml`);
  }
}

/**
 * Trains `zip` in a fresh profile `browserRuns` times (the last one is committed as tag v1 and
 * downloaded as a DVC project), then runs the project's train.py `pythonRuns` times.
 * @param {string} url @param {string} zip @param {number} pythonRuns
 * @param {(text: string) => void} log
 * @param {{ inputs?: Record<string, string | number>, browserRuns?: number, message?: string }} [options]
 */
export async function compareTraining(url, zip, pythonRuns, log, options = {}) {
  const { inputs = TRAIN_INPUTS, browserRuns = 1, message = 'Fashion pair, 5 epochs' } = options;
  /** @type {{ wallMs: number, durationMs: number, valAccuracy: number, load: number, backendLine: string }[]} */
  const browserAttempts = [];
  const folder = mkdtempSync(join(tmpdir(), 'pawprint-bench-project-'));
  try {
    /** @type {Record<string, Uint8Array>} */
    let project = {};
    for (let i = 0; i < browserRuns; i++) {
      const app = await openFreshApp(url);
      try {
        const { page } = app;
        await importZip(page, zip);
        await setInputs(page, inputs);
        const load = loadavg()[0];
        const trained = await trainAndWait(page, 3_600_000);
        const run = await storedRun(page);
        if (!run) throw new Error('no stored run after training');
        const history = run.version.history;
        const attempt = { wallMs: trained.wallMs, durationMs: run.version.run.durationMs, valAccuracy: history[history.length - 1].val_accuracy, load, backendLine: trained.backendLine };
        browserAttempts.push(attempt);
        log(`browser run ${i + 1}: Train → result ${(attempt.wallMs / 1000).toFixed(1)} s (training loop ${(attempt.durationMs / 1000).toFixed(1)} s), val_accuracy ${attempt.valAccuracy.toFixed(4)}, load ${load.toFixed(2)}; ${trained.backendLine}`);
        if (i === browserRuns - 1) project = await downloadProject(page, message);
      } finally {
        await app.close();
      }
    }
    for (const [path, bytes] of Object.entries(project)) {
      if (path.endsWith('/')) continue;
      mkdirSync(dirname(join(folder, path)), { recursive: true });
      writeFileSync(join(folder, path), bytes);
    }

    /** @type {{ wallMs: number, loadMs: number, valAccuracy: number, load: number }[]} */
    const python = [];
    for (let i = 0; i < pythonRuns; i++) {
      const timing = await runTrainPy(folder);
      const metrics = JSON.parse(readFileSync(join(folder, 'metrics.json'), 'utf8'));
      python.push({ ...timing, valAccuracy: metrics.val_accuracy, load: loadavg()[0] });
      log(`train.py run ${i + 1}: ${(timing.wallMs / 1000).toFixed(1)} s (${(timing.loadMs / 1000).toFixed(1)} s before training), val_accuracy ${metrics.val_accuracy.toFixed(4)}`);
    }
    const browser = {
      wallMs: median(browserAttempts.map((a) => a.wallMs)),
      durationMs: median(browserAttempts.map((a) => a.durationMs)),
      valAccuracy: /** @type {number} */ (browserAttempts.at(-1)?.valAccuracy),
      attempts: browserAttempts,
    };
    return {
      browser,
      files: Object.keys(project).filter((p) => p.startsWith('data/') && !p.endsWith('/')).length,
      python,
      pythonWallMs: median(python.map((p) => p.wallMs)),
      pythonTrainMs: median(python.map((p) => p.wallMs - p.loadMs)),
    };
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

/**
 * Commits the page's result as tag v1 with `message`, then "Download as DVC project": the files of the zip.
 * @param {import('playwright-core').Page} page @param {string} message
 */
export async function downloadProject(page, message) {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(message);
  await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('v1');
  await page.getByRole('button', { name: 'Commit', exact: true }).click();
  const item = page.getByRole('list', { name: 'Versions' }).getByRole('listitem').filter({ hasText: 'v1' });
  await item.waitFor();
  const [download] = await Promise.all([
    page.waitForEvent('download', { timeout: 120_000 }),
    item.getByRole('button', { name: 'Download as DVC project', exact: true }).click(),
  ]);
  return unzipSync(new Uint8Array(readFileSync(/** @type {string} */ (await download.path()))));
}

/**
 * `python3 train.py` in the project folder: wall time, and when it printed its first line
 * ("N classes, …": imports done, images decoded), which splits loading from training.
 * @param {string} folder
 */
export function runTrainPy(folder) {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let loadMs = NaN;
    let err = '';
    const child = spawn(PYTHON, ['train.py'], { cwd: folder, stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, PYTHONUNBUFFERED: '1' } });
    child.stdout.on('data', () => {
      if (Number.isNaN(loadMs)) loadMs = performance.now() - started;
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve({ wallMs: performance.now() - started, loadMs });
      else reject(new Error(`train.py failed (exit ${code}):\n${err}`));
    });
  });
}
