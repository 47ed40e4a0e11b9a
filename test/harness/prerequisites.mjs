// What `npm test` needs from the machine besides Node and node_modules: Debian packages.
// The one list of them, used by test/run-all.mjs before any test runs (and so by .ci/run,
// which only runs `npm ci` and `npm test`).
//
// As root with apt-get, missing packages are installed once, saying which and why; otherwise
// the run stops with one message naming each missing package and the command that installs it.
// Everything is found on the PATH it is given (dpkg-query, apt-get), so
// test/unit/prerequisites.test.ts runs the check against a fake PATH and a fake package list.
//
// CLI: node test/harness/prerequisites.mjs   (exit 0 when everything is there or was installed)

import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, rmSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** @typedef {{ name: string, why: string }} DebianPackage */

/** @type {readonly DebianPackage[]} */
export const DEBIAN_PACKAGES = Object.freeze([
  { name: 'chromium', why: 'the browser the browser tests drive (no browser is ever downloaded), and the SwiftShader Vulkan driver the bench:gpu test runs WebGPU on' },
  { name: 'dataset-fashion-mnist', why: 'real images (Fashion-MNIST) for the end-to-end tests' },
  { name: 'tuxpaint-stamps-default', why: 'real colour photos (Tux Paint stamps) for the end-to-end tests' },
  { name: 'python3', why: "Debian's /usr/bin/python3, which the cross-checks run" },
  { name: 'python3-ruamel.yaml', why: "DVC's YAML library, to check the .dvc and dvc.yaml files" },
  { name: 'python3-torch', why: 'PyTorch, to run the exported train.py' },
  { name: 'python3-pil', why: 'PIL, which the exported train.py reads images with' },
  { name: 'python3-h5py', why: 'h5py, to read the exported Keras weights' },
  { name: 'nginx', why: 'the HTTP remote that the push and pull tests start on loopback' },
  { name: 'clang', why: 'rebuilds the WebAssembly training kernels from their C source' },
  { name: 'lld', why: 'wasm-ld, the linker of that rebuild' },
  { name: 'wabt', why: 'wasm-objdump, which checks the rebuilt kernels (no data, no stack, every fused multiply-add decoded)' },
]);

/** nginx (and any package with a service) would start it while installing; the tests start their own. */
const DEFAULT_POLICY_PATH = '/usr/sbin/policy-rc.d';

/**
 * @typedef {object} CheckOptions
 * @property {NodeJS.ProcessEnv} [env] Environment of the commands run (PATH finds dpkg-query and apt-get).
 * @property {boolean} [isRoot] Whether this process may install packages.
 * @property {(line: string) => void} [log] Where "installing …" lines go.
 * @property {string} [policyPath] The policy-rc.d that keeps apt from starting services.
 * @property {readonly DebianPackage[]} [packages]
 */

/**
 * @typedef {object} CheckResult
 * @property {boolean} ok Everything the tests need is there (installed now if it was not).
 * @property {string[]} installed Packages this call installed.
 * @property {string} [problem] When not ok: one message naming each missing package and how to install them.
 */

/**
 * Makes sure the Debian packages the tests need are installed: installs the missing ones
 * when it can (root with apt-get), else says what to install.
 * @param {CheckOptions} [options]
 * @returns {CheckResult}
 */
export function ensurePrerequisites(options = {}) {
  const env = options.env ?? process.env;
  const isRoot = options.isRoot ?? process.getuid?.() === 0;
  const log = options.log ?? ((line) => console.log(line));
  const packages = options.packages ?? DEBIAN_PACKAGES;

  if (!onPath('dpkg-query', env)) {
    return {
      ok: false,
      installed: [],
      problem:
        'npm test cannot check its prerequisites: there is no dpkg-query on the PATH (the tests expect Debian or a Debian-based system).\n' +
        `They need these Debian packages:\n${describe(packages)}`,
    };
  }
  const wanted = packages.filter((pkg) => !(pkg.name === 'chromium' && chromeFromEnv(env)));
  const missing = wanted.filter((pkg) => !isInstalled(pkg.name, env));
  if (missing.length === 0) return { ok: true, installed: [] };

  const names = missing.map((pkg) => pkg.name);
  if (!isRoot || !onPath('apt-get', env)) {
    const how = isRoot ? 'There is no apt-get on the PATH to install them with.' : 'Install them (this needs root), then run npm test again:';
    return {
      ok: false,
      installed: [],
      problem: `npm test needs these Debian packages, which are not installed:\n${describe(missing)}\n${how}\n  sudo apt-get install -y ${names.join(' ')}`,
    };
  }

  log(`npm test: installing ${missing.length === 1 ? 'a Debian package' : `${missing.length} Debian packages`} the tests need:\n${describe(missing)}`);
  const failure = aptInstall(names, env, options.policyPath ?? DEFAULT_POLICY_PATH);
  const still = missing.filter((pkg) => !isInstalled(pkg.name, env)).map((pkg) => pkg.name);
  if (still.length > 0) {
    return {
      ok: false,
      installed: names.filter((name) => !still.includes(name)),
      problem:
        `npm test could not install ${still.join(', ')}${failure ? ` (${failure})` : ''}.\n` +
        `Install ${still.length === 1 ? 'it' : 'them'}, then run npm test again:\n  apt-get install -y ${still.join(' ')}`,
    };
  }
  return { ok: true, installed: names };
}

/** @param {readonly DebianPackage[]} packages */
function describe(packages) {
  return packages.map((pkg) => `  - ${pkg.name}: ${pkg.why}`).join('\n');
}

/**
 * A browser named by CHROME_PATH replaces Debian's chromium (README, Prerequisites).
 * @param {NodeJS.ProcessEnv} env
 */
function chromeFromEnv(env) {
  const path = env.CHROME_PATH?.trim();
  return path ? isExecutable(path) : false;
}

/**
 * @param {string} name
 * @param {NodeJS.ProcessEnv} env
 */
function isInstalled(name, env) {
  const run = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Status}', name], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  return run.status === 0 && run.stdout.trim() === 'installed';
}

/**
 * apt-get update once, then one install of every missing package, with services kept from
 * starting (the usual policy-rc.d, for this install only; an existing policy stays as it is).
 * @param {string[]} names
 * @param {NodeJS.ProcessEnv} env
 * @param {string} policyPath
 * @returns {string | null} why it failed, or null
 */
function aptInstall(names, env, policyPath) {
  const aptEnv = { ...env, DEBIAN_FRONTEND: 'noninteractive' };
  const addedPolicy = !existsSync(policyPath);
  if (addedPolicy) writeFileSync(policyPath, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  try {
    for (const args of [['update'], ['install', '-y', ...names]]) {
      const run = spawnSync('apt-get', args, { env: aptEnv, stdio: ['ignore', 'inherit', 'inherit'] });
      if (run.error) return `apt-get ${args[0]} did not start (${run.error.message})`;
      if (run.status !== 0) return `apt-get ${args[0]} exited with status ${run.status}`;
    }
    return null;
  } finally {
    if (addedPolicy) rmSync(policyPath, { force: true });
  }
}

/**
 * @param {string} command
 * @param {NodeJS.ProcessEnv} env
 */
function onPath(command, env) {
  return (env.PATH ?? '').split(delimiter).some((dir) => dir !== '' && isExecutable(join(dir, command)));
}

/** @param {string} path */
function isExecutable(path) {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const result = ensurePrerequisites();
  if (!result.ok) console.error(result.problem);
  process.exitCode = result.ok ? 0 : 1;
}
