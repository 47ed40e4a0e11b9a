#!/usr/bin/env node
// `npm run check` runs this: core/store is the only module that touches IndexedDB. Every file
// of src/ outside src/core/store is searched for what would touch it directly — importing idb,
// the indexedDB global, IDB* types, opening a transaction, or the store's connection
// (Store.databaseOf, for core/store's own white-box tests). Each finding is printed as
// path:line; the exit status is 1 when there is any.
//
//   node tools/check-store-owner.mjs [root]   (root: the folder holding src/, default: the repo)

import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const FORBIDDEN = [
  { pattern: /\bfrom\s+['"]idb['"]|\bimport\(\s*['"]idb['"]\s*\)/, what: 'imports idb' },
  { pattern: /\bindexedDB\b/, what: 'uses the indexedDB global' },
  { pattern: /\bIDB[A-Z]\w*/, what: 'uses an IndexedDB type' },
  { pattern: /\.transaction\s*\(/, what: 'opens a transaction' },
  { pattern: /\bwriteTransaction\b|\bdatabaseOf\b/, what: "reaches into the store's connection" },
];

/**
 * Findings in `root`/src outside src/core/store, as "path:line: what".
 * @param {string} root
 * @returns {string[]}
 */
export function storeOwnerFindings(root) {
  const src = join(root, 'src');
  const owner = join(src, 'core', 'store') + sep;
  const findings = [];
  for (const file of sourceFiles(src)) {
    if (file.startsWith(owner)) continue;
    readFileSync(file, 'utf8')
      .split('\n')
      .forEach((line, i) => {
        for (const { pattern, what } of FORBIDDEN) if (pattern.test(line)) findings.push(`${relative(root, file)}:${i + 1}: ${what}: ${line.trim()}`);
      });
  }
  return findings;
}

/** @param {string} dir @returns {string[]} */
function sourceFiles(dir) {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1));
  return entries.flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|js|mjs|svelte)$/.test(entry.name) ? [path] : [];
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const findings = storeOwnerFindings(root);
  if (findings.length > 0) {
    console.error(`Only src/core/store may touch IndexedDB (docs/ARCHITECTURE.md, "Store API"); found outside it:\n${findings.map((f) => `  ${f}`).join('\n')}`);
    process.exitCode = 1;
  }
}
