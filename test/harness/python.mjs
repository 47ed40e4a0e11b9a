// Python cross-checks for tests and benchmarks: Debian's /usr/bin/python3 (where
// python3-ruamel.yaml, python3-torch, python3-pil and python3-h5py install; test/harness/
// prerequisites.mjs installs them), never whatever python3 is first on the PATH.

import { spawnSync } from 'node:child_process';

export const PYTHON = '/usr/bin/python3';

/**
 * Runs a Python script with `input` as JSON on stdin and returns its stdout parsed as JSON;
 * throws with Python's stderr when it fails.
 * @param {string} script
 * @param {unknown} [input]
 * @param {{ cwd?: string }} [options]
 * @returns {unknown}
 */
export function python(script, input = null, options = {}) {
  const run = spawnSync(PYTHON, ['-c', script], { input: JSON.stringify(input), encoding: 'utf8', cwd: options.cwd, maxBuffer: 256 << 20 });
  if (run.status !== 0) throw new Error(`${PYTHON} failed (${run.status ?? run.signal}): ${run.stderr || String(run.error)}`);
  return JSON.parse(run.stdout);
}
