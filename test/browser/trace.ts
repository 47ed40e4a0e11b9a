// A Chromium performance trace of the page (CDP Tracing), summarised as the main-thread tasks
// over a threshold and what ran inside them: for a person fixing a long task, not for asserting.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { REPO_ROOT } from '../harness/server.mjs';

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown>; src_func?: string };
}

const CATEGORIES = ['toplevel', 'disabled-by-default-devtools.timeline', 'devtools.timeline', 'mojom', 'IndexedDB', 'v8.execute'];

/** Starts tracing; the returned function stops it and summarises tasks over `thresholdMs`. */
export async function startTrace(context: BrowserContext, page: Page): Promise<(thresholdMs: number) => Promise<string[]>> {
  const cdp = await context.newCDPSession(page);
  await cdp.send('Tracing.start', { transferMode: 'ReturnAsStream', traceConfig: { includedCategories: CATEGORIES } });
  return async (thresholdMs) => {
    const complete = new Promise<{ stream?: string }>((resolve) => cdp.once('Tracing.tracingComplete', resolve));
    await cdp.send('Tracing.end');
    const { stream } = await complete;
    if (!stream) return ['(no trace stream)'];
    let text = '';
    for (;;) {
      const chunk = await cdp.send('IO.read', { handle: stream, size: 1 << 20 });
      text += chunk.base64Encoded ? Buffer.from(chunk.data, 'base64').toString('utf8') : chunk.data;
      if (chunk.eof) break;
    }
    await cdp.send('IO.close', { handle: stream });
    await cdp.detach();
    const parsed = JSON.parse(text) as TraceEvent[] | { traceEvents: TraceEvent[] };
    return summarise(Array.isArray(parsed) ? parsed : parsed.traceEvents, thresholdMs);
  };
}

function summarise(events: TraceEvent[], thresholdMs: number): string[] {
  const mains = new Set(
    events.filter((e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`),
  );
  const onMain = events.filter((e) => e.ph === 'X' && mains.has(`${e.pid}:${e.tid}`));
  const tasks = onMain.filter((e) => e.name === 'ThreadControllerImpl::RunTask' && (e.dur ?? 0) > thresholdMs * 1000);
  return tasks.map((task) => {
    const end = task.ts + (task.dur ?? 0);
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts + (e.dur ?? 0) <= end);
    const total = (name: string) => inside.filter((e) => e.name === name).reduce((sum, e) => sum + (e.dur ?? 0), 0) / 1000;
    const count = (name: string) => inside.filter((e) => e.name === name).length;
    const events = [...new Set(inside.filter((e) => e.name === 'EventDispatch').map((e) => String(e.args?.data?.type)))];
    const calls = new Map<string, number>();
    for (const call of inside.filter((e) => e.name === 'FunctionCall')) {
      const d = call.args?.data ?? {};
      const key = `${String(d.url ?? '').replace(/^.*\//, '')}:${String(d.lineNumber)}:${String(d.columnNumber)}`;
      calls.set(key, (calls.get(key) ?? 0) + (call.dur ?? 0) / 1000);
    }
    const top = [...calls]
      .sort((a, b) => b[1] - a[1])
      .slice(0, 3)
      .map(([where, ms]) => `${where} ${ms.toFixed(0)} ms «${codeAt(where)}»`);
    return [
      `${((task.dur ?? 0) / 1000).toFixed(0)} ms task (${task.args?.src_func ?? '?'}):`,
      `IndexedDB results handled: ${count('IDBRequest::dispatchEvent')} (${total('IDBRequest::dispatchEvent').toFixed(0)} ms),`,
      `mojo replies ${count('Receive mojo reply')},`,
      `JS calls ${total('FunctionCall').toFixed(0)} ms, microtasks ${total('RunMicrotasks').toFixed(0)} ms,`,
      `style ${total('UpdateLayoutTree').toFixed(0)} ms, layout ${total('Layout').toFixed(0)} ms, paint ${total('Paint').toFixed(0)} ms`,
      events.length ? `, events: ${events.join(', ')}` : '',
      top.length ? `\n        top JS: ${top.join('\n                ')}` : '',
    ].join(' ');
  });
}

/** A few characters of the served bundle at "<file>:<line>:<column>" (1-based), to say which code ran. */
export function codeAt(where: string): string {
  const match = /^(.+):(\d+):(\d+)$/.exec(where);
  if (!match) return '';
  try {
    const lines = readFileSync(join(REPO_ROOT, '.cache', 'harness-dist', 'assets', match[1]!), 'utf8').split('\n');
    const line = lines[Number(match[2]) - 1] ?? '';
    return line.slice(Math.max(0, Number(match[3]) - 1), Number(match[3]) + 80).replace(/\s+/g, ' ');
  } catch {
    return '';
  }
}

/** A few characters of the served bundle `file` at character offset `position` (as Long Animation Frames report it). */
export function codeAtChar(file: string, position: number): string {
  try {
    const text = readFileSync(join(REPO_ROOT, '.cache', 'harness-dist', 'assets', file), 'utf8');
    return text.slice(Math.max(0, position), position + 80).replace(/\s+/g, ' ');
  } catch {
    return '';
  }
}
