// WASM training on every core: the page is cross-origin isolated (COOP/COEP from `npm start`),
// tfjs' threaded build starts (it used to hang: its pthreads died in the bundled app), and
// Pawprint's kernels run on navigator.hardwareConcurrency threads. The same build served by a
// plain static host (no isolation headers) trains on one thread and says why; the service worker
// then isolates the page from the next reload. A run on one thread and a run on all threads with
// the same data and seed give bit-identical weights: no reduction depends on which thread took
// which tile.
import { afterAll, describe, expect, test } from 'vitest';
import { serveApp } from '../harness/server.mjs';
import { appOutDir, waitForPawprint } from './app';
import { browsers } from './fixtures';
import { FASHION, backendInUse, importZip, setInputs, storedRun, subsetZip, trainButton, waitForResult } from './training-helpers';

const session = browsers({ perTest: false });
const servers: { close: () => Promise<void> }[] = [];
afterAll(async () => {
  for (const server of servers) await server.close();
});

const SUBSET = () => ({ name: 'fashion-subset.zip', bytes: subsetZip(FASHION(), { train: 60, validation: 20 }) });
const INPUTS = { imageSize: 28, epochs: 1, seed: 42, backend: 'WASM' } as const;

/** Trains the subset on WASM and returns what the page says and the stored weights' hash. */
async function trainSubset(page: import('playwright-core').Page): Promise<{ line: string; weights: string }> {
  await importZip(page, SUBSET());
  await setInputs(page, INPUTS);
  await trainButton(page).click();
  await waitForResult(page);
  const run = await storedRun(page);
  expect(run?.model, 'a stored model').toBeTruthy();
  return { line: await backendInUse(page), weights: run!.model!.weights };
}

describe('WASM threads', () => {
  let isolatedWeights = '';

  test('the app as `npm start` serves it is cross-origin isolated and trains on every core', async () => {
    const { page } = await session.open();
    expect(await page.evaluate(() => crossOriginIsolated), 'crossOriginIsolated').toBe(true);
    const cores = await page.evaluate(() => navigator.hardwareConcurrency);
    const { line, weights } = await trainSubset(page);
    const threads = cores === 1 ? 'one thread' : `${cores} threads`;
    expect(line).toBe(`Backend: wasm (WebAssembly on the CPU (SIMD, ${threads})). Chosen by you.`);
    isolatedWeights = weights;
  });

  test('a static host without isolation headers: one thread, said in the page, the same weights; isolated after a reload', async () => {
    const server = await serveApp({ outDir: appOutDir(), isolated: false });
    servers.push(server);
    const { page } = await session.open({ url: server.url });
    expect(await page.evaluate(() => crossOriginIsolated), 'first visit, before the service worker').toBe(false);
    const { line, weights } = await trainSubset(page);
    expect(line).toBe(
      'Backend: wasm (WebAssembly on the CPU (SIMD, one thread: this page is not cross-origin isolated, so WebAssembly cannot share memory with more threads)). Chosen by you.',
    );
    expect(isolatedWeights, 'the isolated run trained first').not.toBe('');
    expect(weights, 'one thread and all threads give the same weights').toBe(isolatedWeights);

    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.reload();
    await waitForPawprint(page);
    expect(await page.evaluate(() => crossOriginIsolated), 'after a reload under the service worker').toBe(true);
  });
});
