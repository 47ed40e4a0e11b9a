// tools/check-store-owner.mjs, which `npm run check` runs: nothing outside src/core/store touches IndexedDB.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { REPO_ROOT } from '../harness/server.mjs';
import { storeOwnerFindings } from '../../tools/check-store-owner.mjs';

const temps: string[] = [];
afterEach(() => temps.splice(0).forEach((dir) => rmSync(dir, { recursive: true, force: true })));

function project(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'pawprint-owner-'));
  temps.push(root);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

describe('check-store-owner', () => {
  test('this repository: nothing outside src/core/store touches IndexedDB', () => {
    expect(storeOwnerFindings(REPO_ROOT)).toEqual([]);
  });

  test('names each way of touching it outside core/store, and allows all of them inside', () => {
    const root = project({
      'src/core/store/read.ts': "import { openDB } from 'idb';\nconst tx = db.transaction('objects');\n",
      'src/core/versions/sneaky.ts': "import type { IDBPDatabase } from 'idb';\nconst objects = store.db.transaction('objects').store;\n",
      'src/app/page.svelte.ts': "const request = indexedDB.open('pawprint');\nconst db = Store.databaseOf(store);\n",
      'src/core/dataset/ignore.ts': "const OS_FILES = { 'thumbs.db': 'Windows thumbnail cache' };\n",
    });
    expect(storeOwnerFindings(root).map((finding) => finding.replace(/: [^:]*$/, ''))).toEqual([
      'src/app/page.svelte.ts:1: uses the indexedDB global',
      "src/app/page.svelte.ts:2: reaches into the store's connection",
      'src/core/versions/sneaky.ts:1: imports idb',
      'src/core/versions/sneaky.ts:1: uses an IndexedDB type',
      'src/core/versions/sneaky.ts:2: opens a transaction',
    ]);
  });
});
