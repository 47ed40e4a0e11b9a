#!/usr/bin/env node
// `npm test`: every vitest project (unit, unit-fma, browser, bench) in one run, the usual report on the
// terminal, and as the very last line the totals over all projects: "N passed, N failed".
//
// Exit status is non-zero when any test failed, when a test file could not run (import or
// suite error), when a global setup or an unhandled error broke the run, or when vitest
// ended non-zero for any other reason; such problems count as at least one failure, so the
// last line never says "0 failed" for a broken run. Before any test, the Debian packages the
// tests need are checked (test/harness/prerequisites.mjs): installed when missing and this is
// root with apt-get, else the run stops with what to install. Extra arguments go to vitest, e.g.
//   npm test -- --project unit
//   npm test -- test/browser/shell.test.ts

import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePrerequisites } from './harness/prerequisites.mjs';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const resultsDir = join(root, 'test-results');
const jsonFile = join(resultsDir, 'vitest.json');

const prerequisites = ensurePrerequisites();
if (!prerequisites.ok) {
  // No test runs; the count line stays last, as .ci/run expects (exit once it is written: stdout may be a pipe).
  process.stdout.write(`${prerequisites.problem}\n0 passed, 1 failed\n`, () => process.exit(1));
  await new Promise(() => {});
}

const require = createRequire(import.meta.url);
const vitestBin = join(dirname(require.resolve('vitest/package.json')), 'vitest.mjs');

mkdirSync(resultsDir, { recursive: true });
rmSync(jsonFile, { force: true });

const args = [
  vitestBin,
  'run',
  '--reporter=default',
  '--reporter=json',
  `--outputFile.json=${jsonFile}`,
  ...process.argv.slice(2),
];

const code = await new Promise((resolvePromise) => {
  const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('error', (err) => {
    console.error(`could not start vitest: ${err.message}`);
    resolvePromise(127);
  });
  child.on('close', (status, signal) => resolvePromise(status ?? (signal ? 128 : 1)));
});

let passed = 0;
let failed = 0;
const problems = [];
if (existsSync(jsonFile)) {
  try {
    const report = JSON.parse(readFileSync(jsonFile, 'utf8'));
    passed = report.numPassedTests ?? 0;
    failed = report.numFailedTests ?? 0;
    const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
    // A file that failed without any failed test in it: import error, error in a hook
    // outside tests, etc. Count each as one failure.
    for (const file of report.testResults ?? []) {
      const failedInFile = (file.assertionResults ?? []).filter((a) => a.status === 'failed').length;
      if (file.status === 'failed' && failedInFile === 0) {
        failed += 1;
        problems.push(`${file.name}: ${String(file.message ?? 'failed outside any test').split('\n')[0]}`);
      }
    }
    if (skipped > 0) console.log(`(${skipped} skipped or todo)`);
  } catch (err) {
    problems.push(`could not read ${jsonFile}: ${err instanceof Error ? err.message : String(err)}`);
  }
} else {
  problems.push(`vitest wrote no JSON report (${jsonFile}): the run did not complete`);
}
if (code !== 0 && failed === 0) {
  failed = 1;
  problems.push(`vitest exited with status ${code} (setup error, unhandled error or no tests run)`);
}
for (const p of problems) console.log(`test/run-all: ${p}`);
if (passed + failed === 0) {
  failed = 1;
  console.log('test/run-all: no test ran');
}
console.log(`${passed} passed, ${failed} failed`);
process.exitCode = failed > 0 || code !== 0 ? 1 : 0;
