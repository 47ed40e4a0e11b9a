// The real-data fixtures (scripts/make-datasets.mjs, from Debian packages, no network), for
// the browser tests' global setup, the tests that build a larger set on demand, and the
// benchmarks: where they go and how to build them.

import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { REPO_ROOT } from './server.mjs';

/** The folder scripts/make-datasets.mjs writes to by default ($PAWPRINT_DATASETS, else .cache/datasets). */
export function datasetsDir() {
  return resolve(process.env.PAWPRINT_DATASETS ?? join(REPO_ROOT, '.cache', 'datasets'));
}

/**
 * Runs scripts/make-datasets.mjs for `parts` (cached: it skips units whose manifest is
 * current); rejects with the script's output when it fails.
 * @param {string[]} parts e.g. ['fashion', 'photos']
 * @param {{ dir?: string, folders?: boolean }} [options] folders: false passes --no-folders
 *   (zips only, no extracted copies)
 * @returns {Promise<void>}
 */
export function makeDatasets(parts, options = {}) {
  const args = [join(REPO_ROOT, 'scripts', 'make-datasets.mjs'), options.dir ?? datasetsDir(), '--only', parts.join(',')];
  if (options.folders === false) args.push('--no-folders');
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let text = '';
    child.stdout.on('data', (d) => (text += d));
    child.stderr.on('data', (d) => (text += d));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolvePromise();
      else reject(new Error(`scripts/make-datasets.mjs --only ${parts.join(',')} failed (exit ${code}):\n${text.trim()}`));
    });
  });
}
