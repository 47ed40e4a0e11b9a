// bench:exchange's anchors: the same remote files moved by native tools in the same run, so
// the page's MB/s has a floor to be read against on this machine and disk.
//   - folder: `cp -r` of the remote's files/ tree to a fresh folder;
//   - HTTP: curl PUT (upload) and GET (download) of every file to the same loopback nginx,
//     4 transfers in parallel as push and pull keep, keep-alive connections.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { timed } from './stats.mjs';

const PARALLEL = 4;

/**
 * Every file under `dir`, as paths relative to it ("files/md5/ab/cdef…"), with sizes.
 * @param {string} dir
 * @returns {{ path: string, size: number }[]}
 */
export function listFiles(dir) {
  /** @type {{ path: string, size: number }[]} */
  const out = [];
  const walk = (/** @type {string} */ folder) => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      if (entry.isDirectory()) walk(full);
      else out.push({ path: relative(dir, full), size: statSync(full).size });
    }
  };
  walk(dir);
  return out.sort((a, b) => (a.path < b.path ? -1 : 1));
}

/** Throws a clear error when curl is missing (the HTTP anchor needs it). */
export function curlVersion() {
  try {
    return /^curl \S+/.exec(execFileSync('curl', ['--version'], { encoding: 'utf8' }))?.[0] ?? 'curl';
  } catch {
    throw new Error('bench:exchange needs curl for its HTTP anchor: apt-get install -y curl');
  }
}

/**
 * `cp -r` of `source` into a fresh folder: wall time in ms (the copy is removed after).
 * @param {string} source
 */
export async function timeCopy(source) {
  const target = mkdtempSync(join(tmpdir(), 'pawprint-bench-cp-'));
  try {
    const { ms } = await timed(() => run('cp', ['-r', source, join(target, 'copy')]));
    return ms;
  } finally {
    rmSync(target, { recursive: true, force: true });
  }
}

/**
 * curl uploads of `files` (relative to `root`) to `url`, then downloads of them back; wall
 * time of each in ms.
 * @param {string} root @param {{ path: string }[]} files @param {string} url @param {string} authorization
 */
export async function timeCurl(root, files, url, authorization) {
  const scratch = mkdtempSync(join(tmpdir(), 'pawprint-bench-curl-'));
  try {
    const header = `header = "Authorization: ${authorization}"\n`;
    const put = join(scratch, 'put.conf');
    writeFileSync(put, header + files.map((f) => `upload-file = "${join(root, f.path)}"\nurl = "${url}/${f.path}"\n`).join(''));
    const get = join(scratch, 'get.conf');
    writeFileSync(get, header + files.map((f, i) => `url = "${url}/${f.path}"\noutput = "${join(scratch, `get-${i}`)}"\n`).join(''));
    const args = ['--silent', '--show-error', '--fail', '--parallel', '--parallel-max', String(PARALLEL), '--config'];
    const upload = await timed(() => run('curl', [...args, put]));
    const download = await timed(() => run('curl', [...args, get]));
    return { uploadMs: upload.ms, downloadMs: download.ms };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** @param {string} command @param {string[]} args */
function run(command, args) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(undefined) : reject(new Error(`${command} failed (exit ${code}): ${err.trim()}`))));
  });
}
