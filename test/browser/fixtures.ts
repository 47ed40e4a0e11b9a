// Helpers for the dataset browser tests (this file holds no tests):
//   - the real-data fixtures built by global setup (scripts/make-datasets.mjs),
//   - an INDEPENDENT DVC reference: python3's zipfile/hashlib/json compute md5s, the `.dir`
//     text (json.dumps(sort_keys=True)) and its hash, never the app's own code,
//   - generated inputs: small distinct PNGs (pngjs), zips (fflate), bad files,
//   - reading the page the way a person does: by role and accessible name.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { zipSync } from 'fflate';
import { PNG } from 'pngjs';
import type { Locator, Page } from 'playwright-core';
import { afterAll, afterEach, expect, inject } from 'vitest';
import { python } from '../harness/python.mjs';
import { REPO_ROOT } from '../harness/server.mjs';
import { openPawprint, type OpenedApp } from './app';

// ---------------------------------------------------------------- real-data fixtures

/** Path of a file under the fixtures folder (e.g. "fashion/data.zip"); throws when missing. */
export function dataset(relative: string): string {
  const error = inject('pawprintDatasetsError');
  if (error) throw new Error(error);
  const root = inject('pawprintDatasets');
  if (!root) throw new Error('No datasets folder: was test/browser/global-setup.ts run?');
  const path = join(root, relative);
  if (!existsSync(path)) throw new Error(`Missing fixture ${path}: run "node scripts/make-datasets.mjs --only fashion,photos"`);
  return path;
}

// ---------------------------------------------------------------- independent DVC reference

export interface DvcFile {
  relpath: string;
  md5: string;
  size: number;
}

export interface DvcOut {
  md5: string;
  size: number;
  nfiles: number;
}

// Python, not the app: md5 by hashlib, the .dir text by json.dumps(sort_keys=True), sorting by
// Python's str order (code points). Sources are zips (entries under "<root>/") or folders
// (files under the folder itself); later sources override earlier ones at the same relpath,
// like dropping one zip on top of another.
const PYTHON_DVC = String.raw`
import hashlib, json, os, sys, zipfile
req = json.load(sys.stdin)
def listing(req):
    if "files" in req:
        return req["files"]
    files = {}
    root = req["root"] + "/"
    for src in req["sources"]:
        if os.path.isdir(src):
            for dirpath, _, names in os.walk(src):
                for name in names:
                    full = os.path.join(dirpath, name)
                    rel = os.path.relpath(full, src).replace(os.sep, "/")
                    with open(full, "rb") as f:
                        data = f.read()
                    files[rel] = {"relpath": rel, "md5": hashlib.md5(data).hexdigest(), "size": len(data)}
        else:
            with zipfile.ZipFile(src) as z:
                for info in z.infolist():
                    if info.is_dir() or not info.filename.startswith(root):
                        continue
                    data = z.read(info)
                    rel = info.filename[len(root):]
                    files[rel] = {"relpath": rel, "md5": hashlib.md5(data).hexdigest(), "size": len(data)}
    return sorted(files.values(), key=lambda f: f["relpath"])
files = listing(req)
text = json.dumps(sorted(({"md5": f["md5"], "relpath": f["relpath"]} for f in files), key=lambda e: e["relpath"]), sort_keys=True)
out = {"md5": hashlib.md5(text.encode("utf-8")).hexdigest() + ".dir", "size": sum(f["size"] for f in files), "nfiles": len(files)}
json.dump({"out": out, "files": files}, sys.stdout)
`;

/** What `dvc add <root>` records for the union of these zips / folders, computed by python3. */
export function dvcOf(sources: string[], root = 'data'): { out: DvcOut; files: DvcFile[] } {
  return python(PYTHON_DVC, { sources, root }) as { out: DvcOut; files: DvcFile[] };
}

/** The DVC directory hash of an explicit file list (after edits), computed by python3. */
export function dvcOfFiles(files: DvcFile[]): DvcOut {
  return (python(PYTHON_DVC, { files }) as { out: DvcOut }).out;
}

/** The exact data.dvc text DVC 3 writes for an output. */
export function dvcFileText(out: DvcOut, path = 'data'): string {
  return `outs:\n- md5: ${out.md5}\n  size: ${out.size}\n  nfiles: ${out.nfiles}\n  hash: md5\n  path: ${path}\n`;
}

// ---------------------------------------------------------------- generated inputs

/** mulberry32: deterministic bytes, so a failure can be reproduced exactly. */
export function randomBytes(length: number, seed: number): Uint8Array {
  const out = new Uint8Array(length);
  let a = seed >>> 0;
  for (let i = 0; i < length; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

/** A real, decodable RGB PNG whose pixels depend on `seed` (distinct seeds: distinct files). */
export function png(seed: number, width = 16, height = 16): Uint8Array {
  const image = new PNG({ width, height });
  const noise = randomBytes(width * height * 3, seed);
  for (let i = 0; i < width * height; i++) {
    image.data[i * 4] = noise[i * 3]!;
    image.data[i * 4 + 1] = noise[i * 3 + 1]!;
    image.data[i * 4 + 2] = noise[i * 3 + 2]!;
    image.data[i * 4 + 3] = 255;
  }
  return new Uint8Array(PNG.sync.write(image));
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = CRC_TABLE[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/**
 * The PNG signature and a valid IHDR chunk claiming `width`×`height` (8-bit RGB), followed by
 * `tail` (e.g. random bytes): enough for a header sniffer, not a decodable image.
 */
export function pngHeader(width: number, height: number, tail: Uint8Array = new Uint8Array(0)): Uint8Array {
  const ihdr = new Uint8Array(4 + 13);
  ihdr.set([0x49, 0x48, 0x44, 0x52]);
  const view = new DataView(ihdr.buffer);
  view.setUint32(4, width);
  view.setUint32(8, height);
  ihdr.set([8, 2, 0, 0, 0], 12);
  const out = new Uint8Array(8 + 4 + ihdr.length + 4 + tail.length);
  out.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  new DataView(out.buffer).setUint32(8, 13);
  out.set(ihdr, 12);
  new DataView(out.buffer).setUint32(12 + ihdr.length, crc32(ihdr));
  out.set(tail, 12 + ihdr.length + 4);
  return out;
}

/** A zip (stored, not deflated, so its size is predictable) of path → bytes. */
export function zip(files: Record<string, Uint8Array>, level: 0 | 6 = 0): Uint8Array {
  return zipSync(files, { level, mtime: new Date('2020-01-01T00:00:00Z') });
}

/** A temporary folder for generated files, removed by the returned function. */
export function tempDir(prefix = 'pawprint-test-'): { dir: string; write: (name: string, bytes: Uint8Array) => string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    write: (name, bytes) => {
      const path = join(dir, name);
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, bytes);
      return path;
    },
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}

// ---------------------------------------------------------------- browsers with reports on failure

/**
 * How long a test waits for the page to reach a state (a result shown, a run stored, a control
 * ready) before it calls it a hang. Only a hang reaches it: every wait is for a state, never for
 * a time, so a loaded machine makes a test slower, not wrong.
 */
export const HANG = 300_000;

/**
 * Opens apps for a test file and closes them: after each test (`perTest`) or after the file.
 * When a test fails, every open page is screenshotted to test-results/ and its errors are
 * printed, so a failure shows what a person would have seen.
 */
export function browsers(options: { perTest: boolean }) {
  const open: OpenedApp[] = [];
  let shared: Promise<OpenedApp> | undefined;
  const closeAll = async () => {
    shared = undefined;
    for (const app of open.splice(0)) await app.close();
  };
  afterEach(async (context) => {
    if (context.task.result?.state === 'fail') {
      for (const [i, app] of open.entries()) await reportFailure(context.task.name, i, app);
    }
    if (options.perTest) await closeAll();
  });
  afterAll(closeAll);
  return {
    async open(launch: { userDataDir?: string; url?: string; extraArgs?: string[] } = {}): Promise<OpenedApp> {
      const app = await openPawprint(launch);
      app.page.setDefaultTimeout(HANG);
      open.push(app);
      return app;
    },
    /** The one browser of a file whose tests build on each other, opened on first use. */
    shared(): Promise<OpenedApp> {
      shared ??= this.open();
      return shared;
    },
  };
}

/** Where failure screenshots go: test-results/<slug>-<i>.png. */
export function screenshotPath(name: string, index = 0): string {
  return join(REPO_ROOT, 'test-results', `${name.replace(/[^a-z0-9]+/gi, '-').slice(0, 80)}-${index}.png`);
}

export async function screenshot(page: Page, name: string, index = 0): Promise<string> {
  const path = screenshotPath(name, index);
  try {
    mkdirSync(dirname(path), { recursive: true });
    await page.screenshot({ path, fullPage: true, timeout: 10_000 });
  } catch {
    // The page may be gone (crash, closed browser): the errors printed still help.
  }
  return path;
}

async function reportFailure(testName: string, index: number, app: OpenedApp): Promise<void> {
  const path = await screenshot(app.page, testName, index);
  let alerts: string[] = [];
  try {
    alerts = await app.page.getByRole('alert').allInnerTexts();
  } catch {
    // ignore
  }
  console.error(
    [
      `[${testName}] page ${index}: ${app.page.url()}`,
      `  screenshot: ${path}`,
      `  alerts: ${alerts.length ? alerts.join(' | ') : 'none'}`,
      `  page errors: ${app.pageErrors.length ? app.pageErrors.join('\n    ') : 'none'}`,
      `  console errors: ${app.consoleErrors.length ? app.consoleErrors.join('\n    ') : 'none'}`,
    ].join('\n'),
  );
}

// ---------------------------------------------------------------- the page, as a person uses it

export interface FileToGive {
  name: string;
  bytes: Uint8Array;
  type?: string;
}

/** Picks files (paths on disk, or generated files) with the "Add images" input. */
export async function addImages(page: Page, files: string | string[] | FileToGive[]): Promise<void> {
  const input = page.getByLabel('Add images', { exact: true });
  if (typeof files === 'string' || (Array.isArray(files) && typeof files[0] === 'string')) {
    await input.setInputFiles(files as string | string[]);
  } else {
    await input.setInputFiles(
      (files as FileToGive[]).map((f) => ({ name: f.name, mimeType: f.type ?? mimeOf(f.name), buffer: Buffer.from(f.bytes) })),
    );
  }
}

/** Picks a folder with the "Add folder" input (webkitdirectory). */
export async function addFolder(page: Page, folder: string): Promise<void> {
  await page.getByLabel('Add folder', { exact: true }).setInputFiles(folder);
}

function mimeOf(name: string): string {
  if (/\.png$/i.test(name)) return 'image/png';
  if (/\.jpe?g$/i.test(name)) return 'image/jpeg';
  if (/\.zip$/i.test(name)) return 'application/zip';
  return 'application/octet-stream';
}

/**
 * A real drop on the page: dragenter, dragover and drop events carrying a DataTransfer made in
 * the page, holding these files.
 */
export async function dropFiles(page: Page, files: FileToGive[]): Promise<void> {
  const transfer = await page.evaluateHandle(
    (given: { name: string; type: string; base64: string }[]) => {
      const dt = new DataTransfer();
      for (const file of given) {
        const binary = atob(file.base64);
        const bytes = new Uint8Array(binary.length);
        for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
        dt.items.add(new File([bytes], file.name, { type: file.type }));
      }
      return dt;
    },
    files.map((f) => ({ name: f.name, type: f.type ?? mimeOf(f.name), base64: Buffer.from(f.bytes).toString('base64') })),
  );
  for (const type of ['dragenter', 'dragover', 'drop']) {
    await page.dispatchEvent('body', type, { dataTransfer: transfer });
  }
  await transfer.dispose();
}

export function review(page: Page): Locator {
  return page.getByRole('region', { name: 'Review import' });
}

/**
 * The "Found in this drop" table: class (as its input shows it, or "loose: <label text>") → split
 * → count. Rows travel as pairs and become own keys here, so a class "__proto__" is a key too.
 */
export async function reviewTable(page: Page): Promise<Record<string, Record<string, number>>> {
  const table = review(page).getByRole('table', { name: 'Found in this drop' });
  await table.waitFor();
  const rows = await table.evaluate((el) => {
    const t = el as HTMLTableElement;
    const columns = Array.from(t.tHead!.rows[0]!.cells).slice(1).map((c) => c.textContent!.trim());
    return Array.from(t.tBodies[0]!.rows, (row) => {
      const head = row.cells[0]!;
      const input = head.querySelector('input');
      const label = input?.getAttribute('aria-label') ? input.value : `loose: ${head.textContent!.trim()}`;
      return [label, columns.map((column, i) => [column, Number(row.cells[i + 1]!.textContent!.replace(/\s/g, ''))] as const)] as const;
    });
  });
  return Object.fromEntries(rows.map(([label, counts]) => [label, Object.fromEntries(counts)]));
}

/** Waits until no import or check is running: no progress bar for two looks in a row. */
export async function settle(page: Page, timeout = HANG): Promise<void> {
  const bars = page.getByRole('progressbar');
  let quiet = 0;
  await expect
    .poll(
      async () => {
        quiet = (await bars.count()) === 0 ? quiet + 1 : 0;
        return quiet >= 2;
      },
      { timeout, interval: 150 },
    )
    .toBe(true);
}

/** Clicks "Add to data set" and waits for the import and the image check to finish; returns "Import result". */
export async function addToDataset(page: Page): Promise<string> {
  await press(review(page).getByRole('button', { name: 'Add to data set', exact: true }), '"Add to data set"');
  const result = page.getByRole('status', { name: 'Import result' });
  await Promise.race([result.waitFor(), page.getByRole('alert').first().waitFor()]);
  await settle(page);
  return (await result.count()) ? result.innerText() : `(no import result; alert: ${await page.getByRole('alert').allInnerTexts()})`;
}

export interface ClassesTable {
  columns: string[];
  /** label → column → count (plus "Total"). */
  rows: Record<string, Record<string, number>>;
  /** The footer row "Total". */
  total: Record<string, number>;
}

/** Reads the table captioned "Classes", or null when the page shows none. */
export async function classesTable(page: Page): Promise<ClassesTable | null> {
  const table = page.getByRole('table', { name: 'Classes', exact: true });
  if ((await table.count()) === 0) return null;
  const read = await table.evaluate((el) => {
    const t = el as HTMLTableElement;
    const headers = Array.from(t.tHead!.rows[0]!.cells).map((c) => c.textContent!.trim());
    const columns = headers.slice(1, headers.indexOf('Total') + 1);
    const counts = (row: HTMLTableRowElement) => columns.map((column, i) => [column, Number(row.cells[i + 1]!.textContent!.replace(/\s/g, ''))] as const);
    const rows = Array.from(t.tBodies[0]!.rows, (row) => [row.cells[0]!.textContent!.trim(), counts(row)] as const);
    return { columns: columns.slice(0, -1), rows, total: counts(t.tFoot!.rows[0]!) };
  });
  // Pairs made own keys here, so a class "__proto__" is a key like any other.
  return { columns: read.columns, rows: Object.fromEntries(read.rows.map(([label, counts]) => [label, Object.fromEntries(counts)])), total: Object.fromEntries(read.total) };
}

/** The text of the "DVC hash" value, e.g. "23dd…bcea.dir", or null when not shown. */
export async function dvcHash(page: Page): Promise<string | null> {
  const value = page.locator('dt', { hasText: /^DVC hash$/ }).locator('xpath=following-sibling::dd[1]');
  if ((await value.count()) === 0) return null;
  return (await value.innerText()).trim();
}

/** Presses "Show data.dvc", reads the revealed text, and hides it again. */
export async function dvcText(page: Page, root = 'data'): Promise<string> {
  await page.getByRole('button', { name: `Show ${root}.dvc`, exact: true }).click();
  const pre = page.getByLabel(`${root}.dvc`, { exact: true });
  const text = await pre.evaluate((el) => el.textContent ?? '');
  await page.getByRole('button', { name: `Hide ${root}.dvc`, exact: true }).click();
  return text;
}

export function runtimeStatus(page: Page): Locator {
  return page.getByRole('status', { name: 'Runtime' });
}

/** Throws with the page's alerts when it shows any (an unexpected error during a step). */
export async function expectNoAlerts(page: Page, when: string): Promise<void> {
  expect(await page.getByRole('alert').allInnerTexts(), `alerts ${when}`).toEqual([]);
}

/** The page's own view of what is stored. */
export function usage(page: Page): Promise<{ blobs: number; blobBytes: number; objects: number }> {
  return page.evaluate(() => window.pawprint.usage());
}

export function ingestTimings(page: Page): Promise<{ readMs?: number; storeMs?: number; checkMs?: number; decoded?: number }> {
  return page.evaluate(() => window.pawprint.ingestTimings());
}

/** The uncommitted-changes line, e.g. "+2 800 files, not committed yet" (null when none shown). */
export async function changesLine(page: Page): Promise<string | null> {
  const line = page.getByText(/(not committed yet|since \S+)$/);
  if ((await line.count()) === 0) return null;
  return (await line.first().innerText()).trim();
}

/** Opens the thumbnail grid of a class (its row header button) and returns the list. */
export async function openGrid(page: Page, label: string): Promise<Locator> {
  const button = page.getByRole('table', { name: 'Classes', exact: true }).getByRole('button', { name: label, exact: true });
  if ((await button.getAttribute('aria-pressed')) !== 'true') await button.click();
  await expect.poll(() => button.getAttribute('aria-pressed')).toBe('true');
  const grid = page.getByRole('list', { name: `Images of ${label}`, exact: true });
  await grid.waitFor();
  return grid;
}

/**
 * Clicks a control the way a person would (the pointer must reach it). When something else
 * covers it or it cannot be clicked, the test is marked failed (softly, with Playwright's
 * reason and a screenshot path) and the control is then activated from the keyboard, so the
 * rest of the test still checks what the control does.
 */
export async function press(control: Locator, what: string): Promise<void> {
  await control.waitFor();
  try {
    await control.click({ timeout: HANG });
    return;
  } catch (error) {
    const page = control.page();
    const shot = await screenshot(page, `unclickable ${what}`);
    const text = (error instanceof Error ? error.message : String(error)).replace(/\u001b\[[0-9;]*m/g, '');
    const reason = text.split('\n').find((line) => /intercepts pointer events|not visible|outside of the viewport|not enabled/.test(line))?.trim() ?? text.split('\n')[0];
    expect.soft(`${what}: ${reason} (screenshot ${shot})`, `${what} cannot be clicked by a person`).toBe(`${what}: clickable`);
  }
  await control.focus();
  await control.press('Enter');
}
