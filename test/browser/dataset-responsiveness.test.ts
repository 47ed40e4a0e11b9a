// The issue's responsiveness requirement: with 10 000 files, no main-thread task over 50 ms,
// from picking the zip until the import and the image check have finished.
//
// Long tasks are recorded in the page by a PerformanceObserver('longtask') installed before the
// app's own scripts run (addInitScript). For diagnosis, the same observer also records Long
// Animation Frames ('long-animation-frame', Chromium ≥ 123), which name the scripts that ran
// (invoker, source URL and position, duration), and the test notes when each step of the
// import happened, so a failure says what was running.
import { availableParallelism, loadavg } from 'node:os';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, test } from 'vitest';
import { waitForPawprint, type OpenedApp } from './app';
import {
  addImages,
  addToDataset,
  browsers,
  classesTable,
  expectNoAlerts,
  ingestTimings,
  png,
  review,
  reviewTable,
  runtimeStatus,
  screenshot,
  settle,
  tempDir,
  zip,
} from './fixtures';
import { codeAtChar, startTrace } from './trace';

const session = browsers({ perTest: false });
const temp = tempDir('pawprint-responsive-');
afterAll(() => temp.remove());

const FILES = 10_000;
const LONG_TASK_MS = 50;

interface LongTask {
  start: number;
  duration: number;
}
interface LongFrame {
  start: number;
  duration: number;
  blockingDuration: number;
  renderStart: number;
  styleAndLayoutStart: number;
  scripts: { invoker: string; invokerType: string; sourceURL: string; sourceFunctionName: string; sourceCharPosition: number; start: number; duration: number; forcedStyleAndLayoutDuration: number }[];
}

function installObservers(): void {
  const w = window as unknown as { __longTasks: LongTask[]; __longFrames: LongFrame[] };
  w.__longTasks = [];
  w.__longFrames = [];
  try {
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: 'longtask', buffered: true });
  } catch {
    // no longtask support: the test fails on the missing observer below
  }
  try {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) {
        const e = entry as PerformanceEntry & {
          blockingDuration: number;
          renderStart: number;
          styleAndLayoutStart: number;
          scripts: (PerformanceEntry & { invoker: string; invokerType: string; sourceURL: string; sourceFunctionName: string; sourceCharPosition: number; forcedStyleAndLayoutDuration: number })[];
        };
        w.__longFrames.push({
          start: e.startTime,
          duration: e.duration,
          blockingDuration: e.blockingDuration,
          renderStart: e.renderStart,
          styleAndLayoutStart: e.styleAndLayoutStart,
          scripts: e.scripts.map((s) => ({
            invoker: s.invoker,
            invokerType: s.invokerType,
            sourceURL: s.sourceURL,
            sourceFunctionName: s.sourceFunctionName,
            sourceCharPosition: s.sourceCharPosition,
            start: s.startTime,
            duration: s.duration,
            forcedStyleAndLayoutDuration: s.forcedStyleAndLayoutDuration,
          })),
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch {
    // diagnosis only
  }
}

const now = (page: Page) => page.evaluate(() => performance.now());

/** The long tasks recorded in the page between t0 and t1, described with the Long Animation Frame that held each. */
async function longTasks(page: Page, t0: number, t1: number, steps: [string, number][]) {
  const { tasks, frames } = await page.evaluate(() => {
    const w = window as unknown as { __longTasks: LongTask[]; __longFrames: LongFrame[] };
    return { tasks: w.__longTasks, frames: w.__longFrames };
  });
  const inWindow = tasks.filter((t) => t.start >= t0 && t.start <= t1);
  const stepAt = (ms: number) => steps.filter(([, at]) => at <= ms).at(-1)?.[0] ?? 'before';
  const lines = inWindow.map((task) => {
    const frame = frames.find((f) => f.start <= task.start + task.duration && f.start + f.duration >= task.start);
    const scripts = (frame?.scripts ?? [])
      .sort((a, b) => b.duration - a.duration)
      .slice(0, 3)
      .map((s) => `${s.invokerType} ${s.invoker} ${s.duration.toFixed(0)} ms at ${s.sourceURL.replace(/^.*\//, '')} char ${s.sourceCharPosition} «${codeAtChar(s.sourceURL.replace(/^.*\//, ''), s.sourceCharPosition)}»`);
    const render = frame && frame.renderStart ? `, rendering ${(frame.start + frame.duration - frame.renderStart).toFixed(0)} ms` : '';
    return `  ${task.duration.toFixed(0)} ms at +${(task.start - t0).toFixed(0)} ms (after "${stepAt(task.start)}")${render}${scripts.length ? `\n      scripts ≥ 5 ms: ${scripts.join('\n                      ')}` : ''}`;
  });
  return { durations: inWindow.map((t) => Math.round(t.duration)), lines };
}

let opened: OpenedApp | undefined;

describe('dataset: responsiveness with 10 000 images', () => {
  test(`10. importing ${FILES.toLocaleString('en')} images (pick, review, store, check) runs no main-thread task over ${LONG_TASK_MS} ms`, async () => {
    const files: Record<string, Uint8Array> = {};
    for (let i = 0; i < FILES; i++) files[`data/train/${i % 2 ? 'odd' : 'even'}/${String(i).padStart(5, '0')}.png`] = png(0x10000 + i, 12, 12);
    const path = temp.write('ten-thousand.zip', zip(files));

    opened = await session.open();
    const { page } = opened;
    await opened.context.addInitScript(installObservers);
    await page.reload({ waitUntil: 'load' });
    await waitForPawprint(page);
    // Start-up (tfjs backend, store) is not part of the measurement: let it finish first.
    await expect.poll(() => runtimeStatus(page).innerText(), { timeout: 120_000 }).toMatch(/Backend: (?!starting)\S/);
    await settle(page);
    await page.waitForTimeout(1000);
    expect(await page.evaluate(() => PerformanceObserver.supportedEntryTypes.includes('longtask'))).toBe(true);

    const steps: [string, number][] = [];
    const t0 = await now(page);
    steps.push(['pick the zip', t0]);
    await addImages(page, path);
    await review(page).waitFor({ timeout: 120_000 });
    steps.push(['review shown', await now(page)]);
    expect(await reviewTable(page)).toEqual({ even: { train: 5000 }, odd: { train: 5000 } });
    steps.push(['press "Add to data set"', await now(page)]);
    const result = await addToDataset(page);
    const t1 = await now(page);
    steps.push(['import and check finished', t1]);
    expect(result).toBe('10 000 new files, 0 files already stored.');
    await expectNoAlerts(page, 'after the import');
    expect((await classesTable(page))?.total).toEqual({ train: 10_000, Total: 10_000 });

    const timings = await ingestTimings(page);
    const { durations, lines } = await longTasks(page, t0, t1, steps);
    const report = [
      `import of ${FILES} images: ${durations.length} main-thread tasks over ${LONG_TASK_MS} ms in ${((t1 - t0) / 1000).toFixed(1)} s`,
      `  steps: ${steps.map(([name, at]) => `${name} +${(at - t0).toFixed(0)} ms`).join(', ')}`,
      `  ingestTimings: ${JSON.stringify(timings)}`,
      `  machine load (1-min average; long-task durations are wall time and grow with it): ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores`,
      ...lines,
    ].join('\n');
    console.info(report);
    if (durations.length) console.info(`  screenshot: ${await screenshot(page, 'responsiveness-import')}`);
    expect(durations, report).toEqual([]);
  });

  test('10b. scrolling the thumbnail grid of 5 000 images runs no main-thread task over 50 ms', async () => {
    expect(opened, 'the import test opened the page').toBeDefined();
    const { page, context } = opened!;
    await page.getByRole('table', { name: 'Classes', exact: true }).getByRole('button', { name: 'even', exact: true }).click();
    const grid = page.getByRole('list', { name: 'Images of even', exact: true });
    await grid.waitFor();
    await grid.scrollIntoViewIfNeeded();
    await page.waitForTimeout(1000);

    const stopTrace = await startTrace(context, page);
    const steps: [string, number][] = [];
    const t0 = await now(page);
    // Ten jumps of a tenth of the grid, as a person dragging the scroll bar would.
    for (let i = 1; i <= 10; i++) {
      steps.push([`scroll to ${i * 10} %`, await now(page)]);
      await grid.evaluate((el, f) => el.scrollTo({ top: el.scrollHeight * f }), i / 10);
      await page.waitForTimeout(150);
    }
    await page.waitForTimeout(500);
    const t1 = await now(page);
    const traced = await stopTrace(LONG_TASK_MS);
    expect(await grid.getByRole('listitem').count()).toBeLessThan(200);

    const { durations, lines } = await longTasks(page, t0, t1, steps);
    const report = [
      `scrolling 5 000 thumbnails: ${durations.length} main-thread tasks over ${LONG_TASK_MS} ms in ${((t1 - t0) / 1000).toFixed(1)} s (load ${loadavg()[0]!.toFixed(2)} on ${availableParallelism()} cores)`,
      ...lines,
      '  from a Chromium performance trace of the same window:',
      ...traced.map((line) => `    ${line}`),
    ].join('\n');
    console.info(report);
    if (durations.length) console.info(`  screenshot: ${await screenshot(page, 'responsiveness-scroll')}`);
    expect(durations, report).toEqual([]);
  });
});
