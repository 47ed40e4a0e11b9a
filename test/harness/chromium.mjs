// Headless Chromium for the browser tests and the benchmarks.
//
// Debian's `chromium` (/usr/bin/chromium, or $CHROME_PATH) driven by playwright-core.
// Playwright never downloads a browser here: we always pass `executablePath`.
//
// Flags (DESIGN.md, "Testing in a real browser"), checked by experiment on Debian
// Chromium 156.0.8078.108, 2-core VM without a GPU:
//
//   --headless --no-sandbox --disable-background-networking --disable-component-update
//   --disable-sync --no-first-run --disable-quic   (the project's baseline)
//   --enable-unsafe-webgpu                          (the only WebGPU flag needed)
//
// With these, on an http://127.0.0.1 page (WebGPU needs a secure context: it is absent on
// data: URLs), navigator.gpu.requestAdapter() returns SwiftShader:
//   adapter.info = { vendor: "google", architecture: "swiftshader", device: "",
//                    description: "", isFallbackAdapter: true }
// requestDevice() works and a WGSL compute shader runs and reads back correct results.
// Without --enable-unsafe-webgpu, requestAdapter() resolves to null ("No available adapters.").
// Adding --enable-features=Vulkan, --use-angle=swiftshader or --use-webgpu-adapter=swiftshader
// changed nothing (same adapter), so none of them is used.
//
// WebGL/WebGL2 work with these flags too: renderer
//   "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)".
// Note: playwright-core adds its own default switches, among them --enable-unsafe-swiftshader.
// Without that one, WebGL still works but Chromium logs a console *warning*
// ("Automatic fallback to software WebGL has been deprecated..."). We rely on Playwright's
// default here; if it ever goes away, add --enable-unsafe-swiftshader to CHROMIUM_ARGS.

import { accessSync, constants, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';

export const DEFAULT_CHROMIUM_PATH = '/usr/bin/chromium';

/** The exact command-line switches passed to Chromium (see the header comment). */
export const CHROMIUM_ARGS = Object.freeze([
  '--headless',
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--enable-unsafe-webgpu',
]);

/**
 * Path of the Chromium to drive: $CHROME_PATH, else /usr/bin/chromium.
 * Throws when it is missing: browser tests must fail, never skip, without a browser.
 * @returns {string}
 */
export function findChromium() {
  const fromEnv = process.env.CHROME_PATH;
  const path = fromEnv && fromEnv.trim() !== '' ? fromEnv : DEFAULT_CHROMIUM_PATH;
  const how = fromEnv ? `CHROME_PATH=${fromEnv}` : `the default ${DEFAULT_CHROMIUM_PATH}`;
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found (${how} does not exist). The browser tests need Debian's chromium: ` +
        `run "apt-get install chromium" (as .ci/run does) or set CHROME_PATH to a Chromium binary. ` +
        `They fail rather than skip without it; no browser is ever downloaded.`,
    );
  }
  try {
    accessSync(path, constants.X_OK);
  } catch {
    throw new Error(`Chromium at ${path} (${how}) is not executable.`);
  }
  return path;
}

/**
 * A fresh, empty Chromium profile directory under the OS temp dir.
 * @param {string} [prefix]
 * @returns {{ dir: string, remove: () => void }}
 */
export function freshProfile(prefix = 'pawprint-profile-') {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    remove: () => rmSync(dir, { recursive: true, force: true, maxRetries: 3 }),
  };
}

/**
 * @typedef {object} LaunchOptions
 * @property {string} [userDataDir] An existing profile dir to reuse (e.g. to reopen the
 *   browser on the same IndexedDB). When omitted, a fresh profile is made and removed on close().
 * @property {string[]} [extraArgs] Extra switches appended after CHROMIUM_ARGS.
 * @property {import('playwright-core').BrowserContextOptions} [contextOptions]
 */

/**
 * @typedef {object} LaunchedChromium
 * @property {import('playwright-core').BrowserContext} context The persistent context.
 * @property {import('playwright-core').Page} page Its first tab.
 * @property {string} version Chromium's version, e.g. "156.0.8078.108".
 * @property {string} userDataDir The profile directory in use.
 * @property {string} executablePath
 * @property {() => Promise<void>} close Closes the browser (and removes the profile if
 *   launchChromium made it).
 */

/**
 * Launches headless Chromium on a persistent profile (fresh unless `userDataDir` is given),
 * so IndexedDB and storage quota behave as for a person, and survive reloads and restarts.
 * @param {LaunchOptions} [options]
 * @returns {Promise<LaunchedChromium>}
 */
export async function launchChromium(options = {}) {
  const executablePath = findChromium();
  const owned = options.userDataDir ? undefined : freshProfile();
  const userDataDir = options.userDataDir ?? /** @type {{dir: string}} */ (owned).dir;
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath,
      headless: true,
      args: [...CHROMIUM_ARGS, ...(options.extraArgs ?? [])],
      ...(options.contextOptions ?? {}),
    });
  } catch (err) {
    owned?.remove();
    throw err;
  }
  const page = context.pages()[0] ?? (await context.newPage());
  const version = context.browser()?.version() ?? 'unknown';
  let closed = false;
  return {
    context,
    page,
    version,
    userDataDir,
    executablePath,
    close: async () => {
      if (closed) return;
      closed = true;
      await context.close().catch(() => {});
      owned?.remove();
    },
  };
}

/**
 * Kills the Chromium running on profile `userDataDir` with SIGKILL, as a crash or a power cut
 * would: no tab closes, no page script runs. Only processes started with that profile (ours)
 * are signalled, by their pids.
 * @param {string} userDataDir
 * @returns {number} How many processes were killed.
 */
export function killChromium(userDataDir) {
  let killed = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let cmdline = '';
    try {
      cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    if (!cmdline.split('\0').includes(`--user-data-dir=${userDataDir}`)) continue;
    try {
      process.kill(Number(entry), 'SIGKILL');
      killed++;
    } catch {
      // already gone
    }
  }
  if (killed === 0) throw new Error(`No Chromium process runs on profile ${userDataDir}`);
  return killed;
}
