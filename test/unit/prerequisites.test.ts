// npm test's prerequisite check (test/harness/prerequisites.mjs) against a fake PATH: a fake
// dpkg-query answers from a package list in a temp folder, a fake apt-get logs its calls and
// "installs" by adding to that list. Nothing is installed for real.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { DEBIAN_PACKAGES, ensurePrerequisites } from '../harness/prerequisites.mjs';
import { REPO_ROOT } from '../harness/server.mjs';

const ALL = DEBIAN_PACKAGES.map((pkg) => pkg.name);
const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

/** A machine: a bin folder for PATH, the installed packages, apt-get's log and a policy-rc.d path. */
function fakeMachine(installed: readonly string[], tools: { aptGet?: boolean; dpkgQuery?: boolean; aptFails?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'pawprint-prereq-'));
  temps.push(dir);
  const bin = join(dir, 'bin');
  mkdirSync(bin);
  const list = join(dir, 'installed.txt');
  const log = join(dir, 'apt.log');
  const policy = join(dir, 'policy-rc.d');
  writeFileSync(list, installed.map((name) => `${name}\n`).join(''));
  const script = (body: string) => `#!${process.execPath}\nconst fs = require('node:fs');\n${body}\n`;
  if (tools.dpkgQuery !== false) {
    // dpkg-query -W -f=${db:Status-Status} <name>: "installed", or status 1 for an unknown package.
    writeFileSync(
      join(bin, 'dpkg-query'),
      script(`const name = process.argv.at(-1);
const known = fs.readFileSync(${JSON.stringify(list)}, 'utf8').split('\\n');
if (known.includes(name)) process.stdout.write('installed'); else process.exit(1);`),
      { mode: 0o755 },
    );
  }
  if (tools.aptGet !== false) {
    writeFileSync(
      join(bin, 'apt-get'),
      script(`const args = process.argv.slice(2);
fs.appendFileSync(${JSON.stringify(log)}, JSON.stringify({ args, policy: fs.existsSync(${JSON.stringify(policy)}), frontend: process.env.DEBIAN_FRONTEND }) + '\\n');
if (${Boolean(tools.aptFails)} && args[0] === 'install') process.exit(100);
if (args[0] === 'install') fs.appendFileSync(${JSON.stringify(list)}, args.filter((a) => !a.startsWith('-')).slice(1).map((n) => n + '\\n').join(''));`),
      { mode: 0o755 },
    );
  }
  const aptCalls = () =>
    existsSync(log)
      ? readFileSync(log, 'utf8')
          .trim()
          .split('\n')
          .map((line) => JSON.parse(line) as { args: string[]; policy: boolean; frontend: string })
      : [];
  return { dir, bin, policy, aptCalls, env: { PATH: bin } };
}

function check(machine: ReturnType<typeof fakeMachine>, isRoot: boolean, env: Record<string, string> = {}) {
  const lines: string[] = [];
  const result = ensurePrerequisites({ env: { ...machine.env, ...env }, isRoot, log: (line) => lines.push(line), policyPath: machine.policy });
  return { ...result, said: lines.join('\n') };
}

describe('npm test prerequisites', () => {
  test('the list has every package the tests use, clang, lld and python3-h5py among them', () => {
    expect(ALL).toEqual(expect.arrayContaining(['chromium', 'dataset-fashion-mnist', 'tuxpaint-stamps-default', 'python3', 'python3-ruamel.yaml', 'python3-torch', 'python3-pil', 'python3-h5py', 'nginx', 'clang', 'lld']));
    expect(new Set(ALL).size).toBe(ALL.length);
  });

  test('with everything installed it says nothing and installs nothing', () => {
    const machine = fakeMachine(ALL);
    const result = check(machine, true);
    expect(result).toMatchObject({ ok: true, installed: [], said: '' });
    expect(machine.aptCalls()).toEqual([]);
  });

  test('as root it installs what is missing once, saying what and why, with services kept from starting', () => {
    const machine = fakeMachine(ALL.filter((name) => !['clang', 'lld', 'python3-h5py'].includes(name)));
    const result = check(machine, true);
    expect(result.ok).toBe(true);
    expect(result.installed).toEqual(['python3-h5py', 'clang', 'lld']);
    expect(result.said).toMatch(/^npm test: installing 3 Debian packages the tests need:/);
    expect(result.said).toContain('- clang: rebuilds the WebAssembly training kernels');
    expect(result.said).toContain('- lld: wasm-ld');
    expect(result.said).toContain('- python3-h5py: h5py');
    expect(machine.aptCalls()).toEqual([
      { args: ['update'], policy: true, frontend: 'noninteractive' },
      { args: ['install', '-y', 'python3-h5py', 'clang', 'lld'], policy: true, frontend: 'noninteractive' },
    ]);
    expect(existsSync(machine.policy), 'the policy-rc.d added for the install is gone').toBe(false);

    // Once installed, the next run installs nothing.
    expect(check(machine, true)).toMatchObject({ ok: true, installed: [], said: '' });
    expect(machine.aptCalls()).toHaveLength(2);
  });

  test('an existing policy-rc.d is left as it was', () => {
    const machine = fakeMachine(ALL.filter((name) => name !== 'nginx'));
    writeFileSync(machine.policy, '#!/bin/sh\nexit 0\n');
    expect(check(machine, true).ok).toBe(true);
    expect(readFileSync(machine.policy, 'utf8')).toBe('#!/bin/sh\nexit 0\n');
  });

  test('not root: it stops with one message naming each missing package and the command that installs them', () => {
    const machine = fakeMachine(ALL.filter((name) => !['chromium', 'nginx'].includes(name)));
    const result = check(machine, false);
    expect(result.ok).toBe(false);
    expect(result.problem).toBe(
      'npm test needs these Debian packages, which are not installed:\n' +
        '  - chromium: the browser the browser tests drive (no browser is ever downloaded), and the SwiftShader Vulkan driver the bench:gpu test runs WebGPU on\n' +
        '  - nginx: the HTTP remote that the push and pull tests start on loopback\n' +
        'Install them (this needs root), then run npm test again:\n' +
        '  sudo apt-get install -y chromium nginx',
    );
    expect(machine.aptCalls()).toEqual([]);
  });

  test('root without apt-get, or a failed install, stops with what to install', () => {
    const noApt = fakeMachine(ALL.filter((name) => name !== 'clang'), { aptGet: false });
    expect(check(noApt, true).problem).toMatch(/There is no apt-get on the PATH to install them with\.\n {2}sudo apt-get install -y clang$/);

    const failing = fakeMachine(ALL.filter((name) => name !== 'lld'), { aptFails: true });
    const result = check(failing, true);
    expect(result).toMatchObject({ ok: false, installed: [] });
    expect(result.problem).toBe('npm test could not install lld (apt-get install exited with status 100).\nInstall it, then run npm test again:\n  apt-get install -y lld');
    expect(existsSync(failing.policy)).toBe(false);
  });

  test('a browser named by CHROME_PATH stands in for Debian’s chromium', () => {
    const machine = fakeMachine(ALL.filter((name) => name !== 'chromium'));
    const browser = join(machine.dir, 'my-chromium');
    writeFileSync(browser, '#!/bin/sh\n', { mode: 0o755 });
    expect(check(machine, false, { CHROME_PATH: browser })).toMatchObject({ ok: true, installed: [] });
    expect(check(machine, false, { CHROME_PATH: join(machine.dir, 'absent') }).problem).toContain('- chromium:');
  });

  test('without dpkg-query it cannot check, and lists what the tests need', () => {
    const result = check(fakeMachine([], { dpkgQuery: false }), true);
    expect(result.ok).toBe(false);
    expect(result.problem).toContain('there is no dpkg-query on the PATH');
    for (const name of ALL) expect(result.problem).toContain(`- ${name}:`);
  });

  test('npm test stops before any test runs, the count line last', () => {
    const machine = fakeMachine(ALL.filter((name) => name !== 'python3-torch'), { aptGet: false });
    const run = spawnSync(process.execPath, [join(REPO_ROOT, 'test', 'run-all.mjs')], { cwd: REPO_ROOT, env: { ...machine.env, HOME: machine.dir }, encoding: 'utf8' });
    expect(run.status).toBe(1);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toBe('npm test needs these Debian packages, which are not installed:');
    expect(lines).toContain('  - python3-torch: PyTorch, to run the exported train.py');
    expect(lines.at(-1)).toBe('0 passed, 1 failed');
    expect(run.stdout).not.toMatch(/vitest|Test Files/i);
  });
});
