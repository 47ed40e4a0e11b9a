// bench:exchange — push and pull of a tutorial-sized v1+v2 history to a folder and to an
// HTTP remote (Debian's nginx on loopback), through the page; and the exported PyTorch
// train.py next to the page's training of the same version.
//
// Transfers (exchange-transfer.mjs), RUNS runs, fresh profiles each:
//   profile A: v1 and v2 imported with "Add images" and committed data only; Push to a folder
//     (the directory picker replaced by one returning an OPFS folder: the writes are real),
//     Push again (everything skipped), Push to the nginx URL with an Authorization header,
//     Push again;
//   profile B: Pull from the nginx URL; profile C: Pull from a folder holding the same files.
//   Each is timed from the click to the page's result notice; MB/s = bytes of the remote's
//   files (what a first push writes and a pull into an empty browser reads) / that time.
// Anchors in the same run (exchange-native.mjs): `cp -r` of the remote's files, curl PUT and
// GET of them to the same nginx, 4 in parallel like the page.
// Training (exchange-train.mjs): Fashion-MNIST sandal vs sneaker trained in the page (WASM,
// 28 px, 5 epochs, batch 32, lr 0.001, seed 42), committed, "Download as DVC project", and
// its train.py run with Debian's python3-torch 3 times on the unzipped project.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { nginxVersion, startNginx } from '../../test/harness/nginx.mjs';
import { buildAndServe } from '../../test/harness/server.mjs';
import { fashionPair, tutorialHistory } from './exchange-data.mjs';
import { curlVersion, listFiles, timeCopy, timeCurl } from './exchange-native.mjs';
import { exchangeSection } from './exchange-report.mjs';
import { compareTraining, torchVersion } from './exchange-train.mjs';
import { transferRun } from './exchange-transfer.mjs';
import { writeSection } from './report.mjs';

const RUNS = 3;
const PYTHON_RUNS = 3;
const AUTHORIZATION = 'Bearer pawprint-bench';
const log = (/** @type {string} */ text) => console.log(`bench:exchange: ${text}`);

/** @param {{ runs?: number }} [options] */
export async function runExchange(options = {}) {
  const runs = options.runs ?? RUNS;
  const torch = torchVersion();
  const curl = curlVersion();
  const scratch = mkdtempSync(join(tmpdir(), 'pawprint-bench-exchange-'));
  // Its own build folder: another benchmark or test run may be rebuilding .cache/bench-dist.
  const app = await buildAndServe({ outDir: '.cache/bench-exchange-dist' });
  try {
    log(`app built in ${(app.buildMs / 1000).toFixed(0)} s, served at ${app.url}`);
    const history = await tutorialHistory(scratch);
    log(`history: v1 ${history.v1Files} files, v2 ${history.v2Files} files (${(history.v2Bytes / 1e6).toFixed(1)} MB)`);

    /** @type {any[]} */
    const transfers = [];
    for (let i = 0; i < runs; i++) {
      const remote = await startNginx({ authorization: AUTHORIZATION, origin: app.url });
      try {
        const run = await transferRun(app.url, history, remote, AUTHORIZATION, (t) => log(`run ${i + 1}: ${t}`));
        const files = listFiles(remote.root);
        const copyMs = await timeCopy(remote.root);
        const anchorRemote = await startNginx({ authorization: AUTHORIZATION });
        try {
          const curlMs = await timeCurl(remote.root, files, anchorRemote.url, AUTHORIZATION);
          transfers.push({ ...run, remoteFiles: files.length, remoteBytes: files.reduce((s, f) => s + f.size, 0), copyMs, ...curlMs, load: loadavg()[0] });
        } finally {
          await anchorRemote.close();
        }
        log(`run ${i + 1}: ${JSON.stringify(transfers[transfers.length - 1])}`);
      } finally {
        await remote.close();
      }
    }

    const training = await compareTraining(app.url, await fashionPair(), PYTHON_RUNS, (t) => log(`training: ${t}`));
    writeSection('exchange', exchangeSection({ history, transfers, training, torch, curl, nginx: nginxVersion() }));
    log('BENCHMARKS.md updated');
  } finally {
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}
