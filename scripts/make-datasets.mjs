#!/usr/bin/env node
// Builds the real-data fixtures for tests and benchmarks from Debian packages (no network):
//   fashion/data.zip, fashion/new-labels.zip   Fashion-MNIST sneaker vs sandal, tutorial-shaped
//   fashion/data10.zip                         Fashion-MNIST, all 10 classes
//   photos/data.zip                            Tux Paint stamp photos: animals, birds, food, plants
//   tutorial/data.zip                          2 800 JPEGs, ~67 MB, like the DVC tutorial's data.zip
// Each zip X.zip also gets its unpacked twin folder X/ (except the tutorial JPEGs), and each
// build unit a <unit>.manifest.json with counts, sizes and sha256; a re-run skips units whose
// manifest is current. Output is byte-identical across runs and machines.
//
// Usage: node scripts/make-datasets.mjs [outDir] [--only fashion,photos,tutorial] [--force]
//          [--no-folders] [--workers N]
// outDir defaults to $PAWPRINT_DATASETS, else .cache/datasets (relative to the repo root).
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildFashion10, buildFashionPair } from './datasets/fashion.mjs';
import { buildPhotos } from './datasets/photos.mjs';
import { buildTutorial } from './datasets/tutorial.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = join(ROOT, '.cache', 'datasets');
const PARTS = ['fashion', 'photos', 'tutorial'];

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    only: { type: 'string' },
    force: { type: 'boolean', default: false },
    'no-folders': { type: 'boolean', default: false },
    workers: { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (values.help) {
  console.log('Usage: node scripts/make-datasets.mjs [outDir] [--only fashion,photos,tutorial] [--force] [--no-folders] [--workers N]');
  process.exit(0);
}
const outDir = resolve(positionals[0] ?? process.env.PAWPRINT_DATASETS ?? DEFAULT_OUT_DIR);
const only = values.only ? values.only.split(',').map((s) => s.trim()) : PARTS;
const unknown = only.filter((p) => !PARTS.includes(p));
if (unknown.length) {
  console.error(`Unknown part(s) ${unknown.join(', ')}; choose from ${PARTS.join(', ')}`);
  process.exit(2);
}
const force = values.force;
const folders = !values['no-folders'];
const workers = values.workers === undefined ? undefined : Number(values.workers);

const mb = (/** @type {number} */ n) => `${(n / 1e6).toFixed(2)} MB`;
const t0 = performance.now();
/** @type {import('./datasets/output.mjs').UnitResult[]} */
const results = [];
try {
  for (const part of only) {
    const t = performance.now();
    if (part === 'fashion') {
      results.push(await buildFashionPair(outDir, { force, folders }));
      results.push(await buildFashion10(outDir, { force, folders }));
    } else if (part === 'photos') {
      results.push(await buildPhotos(outDir, { force, folders }));
    } else if (part === 'tutorial') {
      results.push(await buildTutorial(outDir, { force, ...(workers === undefined ? {} : { workers }) }));
    }
    console.log(`${part}: ${((performance.now() - t) / 1000).toFixed(1)} s`);
  }
} catch (err) {
  console.error(`make-datasets: ${err instanceof Error ? err.message : err}`);
  process.exit(1);
}

console.log(`\nDatasets in ${relative(process.cwd(), outDir) || '.'}`);
for (const r of results) {
  const how = r.skipped ? 'up to date' : `built in ${r.seconds} s`;
  console.log(`  ${r.unit} (${how})`);
  for (const o of r.outputs) {
    console.log(`    ${o.path.padEnd(26)} ${String(o.files).padStart(5)} files ${mb(o.bytes).padStart(10)}${o.sha256 ? `  sha256 ${o.sha256.slice(0, 16)}…` : ''}`);
    if (o.counts) console.log(`      ${Object.entries(o.counts).map(([k, v]) => `${k} ${v}`).join(', ')}`);
  }
  if (r.info) console.log(`    ${Object.entries(r.info).map(([k, v]) => `${k}: ${v}`).join(', ')}`);
}
console.log(`Total ${((performance.now() - t0) / 1000).toFixed(1)} s`);
