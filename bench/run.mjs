#!/usr/bin/env node
// Benchmarks: `npm run bench` runs them all, `npm run bench:NAME` (node bench/run.mjs NAME) one.
// Each writes its own section of BENCHMARKS.md (bench/lib/report.mjs).
// Options: --runs N (override the number of runs where the benchmark supports it).

/** @type {Record<string, (options: { runs?: number }) => Promise<void>>} */
const benches = {
  store: async (options) => (await import('./store.mjs')).runStore(options),
  ingest: async (options) => (await import('./ingest.mjs')).runIngest(options),
  versions: async (options) => (await import('./versions.mjs')).runVersions(options),
  train: async (options) => (await import('./train.mjs')).runTrain(options),
  exchange: async (options) => (await import('./lib/exchange.mjs')).runExchange(options),
  responsiveness: async (options) => (await import('./responsiveness.mjs')).runResponsiveness(options),
  transfer: async (options) => (await import('./transfer.mjs')).runTransfer(options),
  gpu: async (options) => (await import('./gpu/run.mjs')).runGpu(options),
  verify: async (options) => (await import('./verify.mjs')).runVerify(options),
  cleanup: async (options) => (await import('./cleanup.mjs')).runCleanup(options),
  curation: async (options) => (await import('./curation.mjs')).runCuration(options),
  onnx: async (options) => (await import('./onnx.mjs')).runOnnx(options),
  experiments: async (options) => (await import('./experiments.mjs')).runExperiments(options),
  monitoring: async (options) => (await import('./monitoring.mjs')).runMonitoring(options),
};

const args = process.argv.slice(2);
/** @type {{ runs?: number }} */
const options = {};
const names = [];
for (let i = 0; i < args.length; i++) {
  const arg = /** @type {string} */ (args[i]);
  if (arg === '--runs') options.runs = Number(args[++i]);
  else if (arg.startsWith('--runs=')) options.runs = Number(arg.slice('--runs='.length));
  else names.push(arg);
}
if (options.runs !== undefined && !(Number.isInteger(options.runs) && options.runs > 0)) {
  console.error('--runs needs a positive integer');
  process.exit(2);
}
const unknown = names.filter((n) => !(n in benches));
if (unknown.length) {
  console.error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(benches).join(', ')}`);
  process.exit(2);
}
for (const name of names.length ? names : Object.keys(benches)) {
  console.log(`== bench:${name}`);
  await /** @type {(o: { runs?: number }) => Promise<void>} */ (benches[name])(options);
}
