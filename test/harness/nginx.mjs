// A real DVC-style HTTP remote on loopback: Debian's nginx with WebDAV PUT, run as the
// current user from a temporary prefix (config, pid, logs, temp files and the served root
// all inside it), for the HTTP remote's unit and browser tests and bench:exchange.
//
//   const remote = await startNginx({ authorization: 'Bearer s3cret', origin: appUrl });
//   remote.url   // "http://127.0.0.1:41235"
//   remote.root  // the folder PUTs land in: <root>/files/md5/ab/cdef…
//   await remote.close();
//
// CORS: preflights (OPTIONS) are answered for GET, HEAD and PUT with the Authorization and
// Content-Type headers and never need the Authorization header themselves, as browsers
// send preflights without it. Every answer, 401 and 404 included, carries
// Access-Control-Allow-Origin, so the page sees the status instead of a network error.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { freePort } from './free-port.mjs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';

export const NGINX_PATH = '/usr/sbin/nginx';

/** "1.22.1": the nginx in use, for benchmark reports. */
export function nginxVersion() {
  const output = spawnSync(NGINX_PATH, ['-v'], { encoding: 'utf8' });
  return /nginx\/(\S+)/.exec(`${output.stderr}${output.stdout}`)?.[1] ?? 'unknown';
}

/**
 * @typedef {object} NginxOptions
 * @property {string} [authorization] When set, every GET/HEAD/PUT without exactly this
 *   Authorization header value gets 401. Letters, digits, spaces and `._~+/=-` only.
 * @property {string} [origin] The page origin CORS allows (default "*").
 * @property {string} [root] Serve this existing folder instead of a fresh empty one
 *   (close() leaves it in place).
 */

/**
 * @typedef {object} RunningNginx
 * @property {string} url e.g. "http://127.0.0.1:41235", without a trailing slash.
 * @property {string} root The folder served and written to.
 * @property {() => Promise<void>} close Stops nginx and removes its prefix (and the root,
 *   unless it was given).
 */

/**
 * Starts nginx on a free loopback port. Throws (never skips) when nginx is not installed.
 * @param {NginxOptions} [options]
 * @returns {Promise<RunningNginx>}
 */
export async function startNginx(options = {}) {
  if (!existsSync(NGINX_PATH)) {
    throw new Error(
      `nginx not found at ${NGINX_PATH}. The HTTP remote's tests need Debian's nginx: ` +
        `run "apt-get install nginx" (as .ci/run does). They fail rather than skip without it.`,
    );
  }
  if (options.authorization !== undefined && !/^[A-Za-z0-9 ._~+/=-]+$/.test(options.authorization)) {
    throw new Error('startNginx: the authorization value may hold only letters, digits, spaces and ._~+/=-');
  }
  const prefix = mkdtempSync(join(tmpdir(), 'pawprint-nginx-'));
  const root = options.root ?? join(prefix, 'root');
  mkdirSync(root, { recursive: true });
  mkdirSync(join(prefix, 'temp'));
  // Another process may take the free port between our probe and nginx's bind: try again.
  let lastError;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const confPath = join(prefix, 'nginx.conf');
    writeFileSync(confPath, nginxConfig({ prefix, root, port, ...options }));
    try {
      const child = await launch(prefix, confPath, port);
      return {
        url: `http://127.0.0.1:${port}`,
        root,
        close: async () => {
          await stop(child);
          rmSync(prefix, { recursive: true, force: true });
        },
      };
    } catch (err) {
      lastError = err;
    }
  }
  rmSync(prefix, { recursive: true, force: true });
  throw lastError;
}

/**
 * @param {{ prefix: string, root: string, port: number, authorization?: string, origin?: string }} o
 */
function nginxConfig({ prefix, root, port, authorization, origin = '*' }) {
  const temp = join(prefix, 'temp');
  // As root (CI), workers would drop to "nobody" and could not write the root: stay root.
  const user = process.getuid?.() === 0 ? `user ${userInfo().username};\n` : '';
  const authCheck = authorization
    ? `      if ($http_authorization != "${authorization}") { return 401; }\n`
    : '';
  return `${user}worker_processes 1;
pid ${join(prefix, 'nginx.pid')};
error_log ${join(prefix, 'error.log')} warn;
events { worker_connections 256; }
http {
  default_type application/octet-stream;
  access_log off;
  sendfile on;
  keepalive_requests 10000;
  client_body_temp_path ${join(temp, 'body')};
  proxy_temp_path ${join(temp, 'proxy')};
  fastcgi_temp_path ${join(temp, 'fastcgi')};
  uwsgi_temp_path ${join(temp, 'uwsgi')};
  scgi_temp_path ${join(temp, 'scgi')};
  server {
    listen 127.0.0.1:${port};
    root ${root};
    client_max_body_size 0;
    add_header Access-Control-Allow-Origin "${origin}" always;
    add_header Access-Control-Allow-Methods "GET, HEAD, PUT" always;
    add_header Access-Control-Allow-Headers "Authorization, Content-Type" always;
    add_header Access-Control-Max-Age 600 always;
    location / {
      if ($request_method = OPTIONS) { return 204; }
${authCheck}      dav_methods PUT;
      create_full_put_path on;
      dav_access user:rw group:r all:r;
    }
  }
}
`;
}

/**
 * Runs nginx in the foreground and resolves once it answers HTTP; rejects with its output
 * when it exits first (e.g. the port was taken).
 * @param {string} prefix
 * @param {string} confPath
 * @param {number} port
 * @returns {Promise<import('node:child_process').ChildProcess>}
 */
async function launch(prefix, confPath, port) {
  const child = spawn(
    NGINX_PATH,
    ['-p', prefix, '-c', confPath, '-e', join(prefix, 'error.log'), '-g', 'daemon off;'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout.on('data', (d) => (output += d));
  child.stderr.on('data', (d) => (output += d));
  /** @type {Promise<never>} */
  const exited = new Promise((_, reject) => {
    child.once('error', reject);
    child.once('exit', (code, signal) =>
      reject(new Error(`nginx exited (${signal ?? `code ${code}`}) before answering on port ${port}:\n${output.trim()}`)),
    );
  });
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const answered = await Promise.race([
      fetch(`http://127.0.0.1:${port}/`, { method: 'OPTIONS' }).then(() => true, () => false),
      exited,
    ]);
    if (answered) return child;
    await new Promise((r) => setTimeout(r, 50));
  }
  await stop(child);
  throw new Error(`nginx did not answer on port ${port} within 10 s:\n${output.trim()}`);
}

/** @param {import('node:child_process').ChildProcess} child */
function stop(child) {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve(undefined));
    // SIGTERM is nginx's fast shutdown: workers exit with the master.
    child.kill('SIGTERM');
  });
}
