// bench:exchange's section of BENCHMARKS.md, from the measurements exchange.mjs collects.
import { machineLine, today } from './machine.mjs';
import { fmt, mbPerSecond, median } from './stats.mjs';

/**
 * @typedef {object} TransferRun
 * @property {number} remoteFiles @property {number} remoteBytes
 * @property {Record<'folderPush' | 'folderPushAgain' | 'httpPush' | 'httpPushAgain' | 'httpPull' | 'folderPull', { ms: number, notice: string, skipped?: number, written?: number }>} steps
 * @property {number} copyMs @property {number} uploadMs @property {number} downloadMs @property {number} load
 * @property {string} chromium
 */

const STEPS = /** @type {const} */ ([
  ['folderPush', 'Push to a folder (OPFS)', 'cp -r', 'copyMs'],
  ['folderPull', 'Pull from a folder into a fresh browser', 'cp -r', 'copyMs'],
  ['httpPush', 'Push to nginx on loopback', 'curl PUT', 'uploadMs'],
  ['httpPull', 'Pull from nginx into a fresh browser', 'curl GET', 'downloadMs'],
]);

/**
 * @param {{ history: { v1Files: number, v2Files: number, v2Bytes: number }, transfers: TransferRun[],
 *   training: Awaited<ReturnType<typeof import('./exchange-train.mjs').compareTraining>>, torch: string, curl: string, nginx: string }} m
 */
export function exchangeSection({ history, transfers, training, torch, curl, nginx }) {
  const bytes = median(transfers.map((t) => t.remoteBytes));
  const files = median(transfers.map((t) => t.remoteFiles));
  const rows = STEPS.map(([key, title, anchorName, anchorKey]) => {
    const ms = median(transfers.map((t) => t.steps[key].ms));
    const anchorMs = median(transfers.map((t) => t[anchorKey]));
    return `| ${title} | ${fmt(ms / 1000)} s | ${fmt(mbPerSecond(bytes, ms))} MB/s | ${anchorName}: ${fmt(mbPerSecond(bytes, anchorMs))} MB/s | ${fmt(anchorMs / ms)} |`;
  });
  const again = (/** @type {'folderPushAgain' | 'httpPushAgain'} */ key, /** @type {string} */ title) => {
    const step = transfers.map((t) => t.steps[key]);
    return `| ${title} | ${fmt(median(step.map((s) => s.ms)) / 1000)} s | skipped ${step.map((s) => s.skipped).join(', ')} of ${files - 1}; written ${step.map((s) => s.written).join(', ')} (the index) | | |`;
  };
  const b = training.browser;
  const perRun = transfers
    .map((t, i) => `run ${i + 1} (load ${fmt(t.load)}): ${Object.entries(t.steps).map(([k, s]) => `${k} ${fmt(s.ms / 1000)} s`).join(', ')}; cp -r ${fmt(t.copyMs / 1000)} s, curl PUT ${fmt(t.uploadMs / 1000)} s, GET ${fmt(t.downloadMs / 1000)} s`)
    .join('; ');
  const notices = transfers[0] ? Object.entries(transfers[0].steps).map(([k, s]) => `- ${k}: “${s.notice}”`).join('\n') : '';
  return `## Exchange: push, pull and the exported train.py (\`npm run bench:exchange\`)

${today()} · ${machineLine()} · Chromium ${transfers[0]?.chromium ?? '?'} headless · nginx ${nginx} · ${curl} · PyTorch ${torch} (Debian python3-torch).

History: v1 = tutorial/data.zip with half of each training class (${history.v1Files} JPEGs), v2 = the whole
zip (${history.v2Files} JPEGs, ${fmt(history.v2Bytes / 1e6)} MB), both committed data only in one fresh profile.
The remote then holds ${files} files, ${fmt(bytes / 1e6)} MB (every distinct image under
\`files/md5/\`, two \`.dir\` listings, Pawprint's records and index). Each step is timed from the
click to the page's result notice; MB/s = the remote's bytes / that time. Pulls go into a
fresh profile each (nothing local). Anchors, measured in the same run on the same files:
\`cp -r\` of the remote folder, curl PUT / GET of every file to the same nginx build
(4 transfers in parallel, as push and pull keep; keep-alive). ${transfers.length} run${transfers.length === 1 ? '' : 's'}, medians; the load
average is the machine's 1-minute figure after each run (2 cores, shared).

| step | time | MB/s | anchor | page ÷ anchor |
|---|---|---|---|---|
${rows.join('\n')}
${again('folderPushAgain', 'Second push to the folder')}
${again('httpPushAgain', 'Second push to nginx')}

Per run: ${perRun}.

What the page said (run 1):
${notices}

### The exported train.py next to the page

Fashion-MNIST sandal vs sneaker (${training.files} PNGs), trained in the page (WASM backend, 28 px, 5 epochs,
batch 32, lr 0.001, seed 42), committed as v1, **Download as DVC project**, unzipped, and
\`python3 train.py\` run ${training.python.length} times in it (Debian python3-torch, its default threads).

| | run time | val accuracy |
|---|---|---|
| page (training, stored run) | ${fmt(b.durationMs / 1000)} s (click to result ${fmt(b.wallMs / 1000)} s) | ${(b.valAccuracy * 100).toFixed(1)} % |
| exported train.py (median) | ${fmt(training.pythonWallMs / 1000)} s whole process, ${fmt(training.pythonTrainMs / 1000)} s after loading | ${training.python.map((p) => `${(p.valAccuracy * 100).toFixed(1)} %`).join(', ')} |

Both train the same convnet with the same data, split, params and seed, but PyTorch and tfjs
draw different initial weights from it, so the accuracies are two samples, not one number
twice (bench:train: across seeds 42–44 both land within about a point of each other).
train.py's "after loading" is from its first line (imports done, ${training.files} images decoded) to its exit. Per run: ${training.python.map((p) => `${fmt(p.wallMs / 1000)} s (load ${fmt(p.load)})`).join(', ')}.
`;
}
