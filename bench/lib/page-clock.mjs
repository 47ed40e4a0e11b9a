// Timing steps in the page for benchmarks: the page's own clock (performance.now) from just
// before the action to the first animation frame where a condition holds, and the page's long
// tasks (PerformanceObserver 'longtask', installed before the app's scripts) in between.

/** For context.addInitScript: records every long task in window.__longTasks. */
export function recordLongTasks() {
  const w = /** @type {any} */ (window);
  w.__longTasks = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) w.__longTasks.push({ start: entry.startTime, duration: entry.duration });
  }).observe({ type: 'longtask', buffered: true });
}

/**
 * Runs `act` (a click, a key…) and waits until `predicate(arg)` is true in the page, checked
 * every animation frame; `predicate` returns performance.now() when done, else false.
 * Returns the ms from just before the action (`start`, on the page's clock), and the longest
 * main-thread task in between.
 * @template A
 * @param {import('playwright-core').Page} page
 * @param {() => Promise<unknown>} act
 * @param {(arg: A) => number | false} predicate
 * @param {A} arg
 */
export async function timeStep(page, act, predicate, arg) {
  const t0 = await page.evaluate(() => performance.now());
  await act();
  const handle = await page.waitForFunction(predicate, arg, { polling: 'raf', timeout: 600_000 });
  const t1 = /** @type {number} */ (await handle.jsonValue());
  const longest = await page.evaluate(
    ([from, to]) => Math.max(0, .../** @type {{ start: number, duration: number }[]} */ (/** @type {any} */ (window).__longTasks ?? []).filter((t) => t.start >= from && t.start <= to).map((t) => t.duration)),
    [t0, t1],
  );
  return { ms: t1 - t0, longestTaskMs: longest, start: t0 };
}

/**
 * Opens the app with `extraArgs`, installs the long-task recorder before the app's scripts
 * (a reload), and waits until the store is open and tfjs has its backend.
 * @param {string} url @param {string[]} [extraArgs]
 */
export async function openObserved(url, extraArgs = []) {
  const { openApp } = await import('../../test/harness/page.mjs');
  const app = await openApp(url, { timeoutMs: 180_000, extraArgs });
  try {
    await app.context.addInitScript(recordLongTasks);
    await app.page.reload({ waitUntil: 'load' });
    await app.waitForPawprint();
    const status = app.page.getByRole('status', { name: 'Runtime' });
    const deadline = Date.now() + 180_000;
    while (!/Backend: (?!starting)\S/.test(await status.innerText())) {
      if (Date.now() > deadline) throw new Error('tfjs backend did not start within 180 s');
      await app.page.waitForTimeout(250);
    }
    await app.page.waitForTimeout(1000);
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}
