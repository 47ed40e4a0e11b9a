// bench:curation — labelling in place with 10 000 images, camera capture (fake camera) and the
// visual diff of a 1 000-file change, through the page in headless Chromium, fresh profile per
// run (see bench/lib/curation-*.mjs for what each measures). Medians over RUNS runs.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildAndServe } from '../test/harness/server.mjs';
import { cameraRun, HOLD_MS } from './lib/curation-camera.mjs';
import { DIFF_PAGES, diffRun } from './lib/curation-diff.mjs';
import { LABELLING_FILES, labellingRun, labellingZip } from './lib/curation-labelling.mjs';
import { tutorialHistory } from './lib/exchange-data.mjs';
import { machineLine, today } from './lib/machine.mjs';
import { writeSection } from './lib/report.mjs';
import { fmt, median } from './lib/stats.mjs';

const RUNS = 3;
const LONG_TASK_MS = 50;
const log = (/** @type {string} */ text) => console.log(`bench:curation: ${text}`);

/** @param {{ runs?: number }} [options] */
export async function runCuration(options = {}) {
  const runs = options.runs ?? RUNS;
  const scratch = mkdtempSync(join(tmpdir(), 'pawprint-bench-curation-'));
  const app = await buildAndServe({ outDir: '.cache/bench-curation-dist' });
  try {
    log(`app built in ${(app.buildMs / 1000).toFixed(0)} s, served at ${app.url}`);
    const zip = labellingZip(scratch);
    const history = await tutorialHistory(scratch);
    /** @type {any[]} */ const labelling = [];
    /** @type {any[]} */ const camera = [];
    /** @type {any[]} */ const diff = [];
    /** @type {number[]} */ const loads = [];
    for (let i = 0; i < runs; i++) {
      loads.push(loadavg()[0]);
      labelling.push(await labellingRun(app.url, zip, (t) => log(`run ${i + 1} labelling: ${t}`)));
      camera.push(await cameraRun(app.url));
      diff.push(await diffRun(app.url, history, (t) => log(`run ${i + 1} diff: ${t}`)));
      log(`run ${i + 1} done (load ${fmt(loadavg()[0])})`);
    }
    writeSection('curation', section({ labelling, camera, diff, loads, runs, history }));
    log('BENCHMARKS.md updated');
  } finally {
    await app.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

const STEPS = /** @type {const} */ ([
  ['rename', 'Rename class (10 000 paths; the anchor)'],
  ['selectAll', 'Select all (10 000 tiles)'],
  ['moveToClass', 'Move to class… (10 000 images)'],
  ['undoMove', 'Undo'],
  ['moveToSplit', 'Move to split… (10 000 images)'],
  ['remove', 'Remove from data set (10 000 images)'],
  ['undoRemove', 'Undo'],
]);

/** @param {{ labelling: any[], camera: any[], diff: any[], loads: number[], runs: number, history: { v1Files: number, v2Files: number } }} m */
function section({ labelling, camera, diff, loads, runs, history }) {
  const med = (/** @type {any[]} */ list, /** @type {(x: any) => number} */ pick) => median(list.map(pick));
  const rename = med(labelling, (r) => r.steps.rename.ms);
  const stepRows = STEPS.map(([key, title]) => {
    const ms = med(labelling, (r) => r.steps[key].ms);
    const longest = labelling.map((r) => fmt(r.steps[key].longestTaskMs)).join(', ');
    return `| ${title} | ${fmt(ms)} ms | ${fmt(ms / rename)} | ${longest} ms |`;
  });
  const newSteps = STEPS.map(([key]) => key).filter((key) => key !== 'rename');
  const worst = Math.max(...labelling.flatMap((r) => newSteps.map((key) => r.steps[key].longestTaskMs)));
  const renameWorst = Math.max(...labelling.map((r) => r.steps.rename.longestTaskMs));
  const fps = med(camera, (r) => r.framesPerSecond);
  const cameraFps = med(camera, (r) => r.cameraFps);
  const chromium = labelling[0]?.chromium ?? '?';
  return `## Curation: labelling in place, camera capture, visual diff (\`npm run bench:curation\`)

${today()} · ${machineLine()} · Chromium ${chromium} headless · ${runs} runs, fresh profile each · load average (1 min) at each run's start: ${loads.map(fmt).join(', ')}.
Times are on the page's clock, from just before Playwright's click to the first animation frame
showing the result; "longest task" is the longest main-thread task (PerformanceObserver
'longtask') in that span, per run. On 2 cores a long task's duration is wall time: at a load
average far above 2 it measures the queue for the CPU as much as the page's work, which is why
Rename class (an edit that existed before) is timed in the same runs.

### Labelling in place, ${LABELLING_FILES.toLocaleString('en').replace(/,/g, ' ')} images in one class

| step | median | × Rename class | longest task per run |
| --- | --- | --- | --- |
${stepRows.join('\n')}

Longest main-thread task in the new steps over every run: **${fmt(worst)} ms**; in Rename class, the
anchor, ${fmt(renameWorst)} ms (target: none over ${LONG_TASK_MS} ms).
Each edit is computed in the dataset worker (the new data set, its DVC hash, the Classes summary);
the page sends the selected paths and receives the summary.

### Camera capture (Chromium's fake camera, ${camera[0]?.size ?? '?'})

| figure | median | runs |
| --- | --- | --- |
| frames captured per second, Capture held ${HOLD_MS / 1000} s | ${fmt(fps)} | ${camera.map((r) => fmt(r.framesPerSecond)).join(', ')} |
| frames the camera delivered to the preview per second (anchor) | ${fmt(cameraFps)} | ${camera.map((r) => fmt(r.cameraFps)).join(', ')} |
| Capture pressed → first thumbnail decoded | ${fmt(med(camera, (r) => r.toThumbnailMs))} ms | ${camera.map((r) => fmt(r.toThumbnailMs)).join(', ')} |

Capture takes 5 frames a second by design (a JPEG each, encoded by the browser off the main
thread): ${fmt(fps / cameraFps)}× the camera's own rate here.

### Visual diff of a 1 000-file change (tutorial v1 → v2)

v1: ${history.v1Files} JPEGs, v2: ${history.v2Files} (1 000 training images added), both committed data only.

| step | median | × dvc-diff table | runs |
| --- | --- | --- | --- |
| tick Compare → dvc-diff table shows +1000 added (anchor) | ${fmt(med(diff, (r) => r.tableMs))} ms | 1 | ${diff.map((r) => fmt(r.tableMs)).join(', ')} |
| tick Compare → first 100 thumbnails decoded | ${fmt(med(diff, (r) => r.firstPageMs))} ms | ${fmt(med(diff, (r) => r.firstPageMs) / med(diff, (r) => r.tableMs))} | ${diff.map((r) => fmt(r.firstPageMs)).join(', ')} |
| all 1 000 thumbnails (first page + ${DIFF_PAGES - 1} × Next page, each to decoded) | ${fmt(med(diff, (r) => r.allPagesMs))} ms | ${fmt(med(diff, (r) => r.allPagesMs) / med(diff, (r) => r.tableMs))} | ${diff.map((r) => fmt(r.allPagesMs)).join(', ')} |

Longest main-thread task while paging: ${fmt(Math.max(...diff.map((r) => r.longestTaskMs)))} ms.
`;
}
