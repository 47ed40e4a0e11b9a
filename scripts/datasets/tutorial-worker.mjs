// Worker thread for tutorial.mjs: renders its share of the JPEGs (grouped by source
// photo) and posts them back in the order received.
import { parentPort, workerData } from 'node:worker_threads';
import { renderJobs } from './tutorial.mjs';

const results = renderJobs(/** @type {import('./tutorial.mjs').Job[]} */ (workerData));
parentPort?.postMessage(results, results.map((r) => /** @type {ArrayBuffer} */ (r.buffer)));
