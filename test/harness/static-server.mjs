// A plain static web host for a folder: Python's http.server (Debian's /usr/bin/python3), as the
// README of "Download app" tells users to run it. No cross-origin isolation headers, no SPA
// fallback, no service-worker help: just files.
//
//   const site = await serveFolder('/tmp/app');
//   site.url   // "http://127.0.0.1:41236"
//   await site.close();

import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { freePort } from './free-port.mjs';

export const PYTHON_PATH = '/usr/bin/python3';

/**
 * Serves `folder` on a free loopback port until close(). Throws (never skips) without python3.
 * @param {string} folder
 * @returns {Promise<{ url: string, close: () => Promise<void> }>}
 */
export async function serveFolder(folder) {
  if (!existsSync(PYTHON_PATH)) throw new Error(`${PYTHON_PATH} not found: the static-host tests need Debian's python3.`);
  const port = await freePort();
  const child = spawn(PYTHON_PATH, ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', folder], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`http.server exited (code ${child.exitCode}):\n${output}`);
    if (await fetch(`${url}/`).then(() => true, () => false)) break;
    if (Date.now() > deadline) {
      child.kill();
      throw new Error(`http.server did not answer on ${url} within 10 s:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve(undefined);
        child.once('exit', () => resolve(undefined));
        child.kill('SIGTERM');
      }),
  };
}
