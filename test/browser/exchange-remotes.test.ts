// Push, pull and bundles through the Remotes region. One profile commits a trained v1.0 and a
// data-only v2.0 (small Fashion-MNIST subsets), pushes to a folder — the folder picker alone is
// replaced by one returning an origin-private (OPFS) folder, so the writes are the browser's
// real File System Access writes — and the layout is read back and checked the way DVC would
// (each file's md5 is its name). Then the bundle of everything goes into a fresh profile, and
// without a folder picker Push downloads a zip that Pull reads into another fresh profile.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { strFromU8, unzipSync, zipSync } from 'fflate';
import type { Download, Locator, Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { waitForPawprint } from './app';
import { HANG, browsers } from './fixtures';
import { FASHION, importZip, setInputs, subsetZip, trainButton, waitForResult } from './training-helpers';
import { commitOk, quiet, reloadApp, timeline, tutorialZip, type TimelineEntry } from './versions-helpers';

const session = browsers({ perTest: false });
const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

function remotesRegion(page: Page): Locator {
  return page.getByRole('region', { name: 'Remotes', exact: true });
}

/** Presses a Remotes control (or runs `start`) and returns what the region said once the job is done. */
async function remotesOutcome(page: Page, start: () => Promise<void>): Promise<{ result: string | null; alert: string | null }> {
  const region = remotesRegion(page);
  await start();
  const result = region.getByRole('status', { name: 'Remotes result', exact: true });
  const alert = region.getByRole('alert');
  await Promise.race([result.waitFor({ timeout: HANG }), alert.waitFor({ timeout: HANG })]);
  await expect.poll(() => region.getByRole('progressbar').count()).toBe(0);
  await quiet(page);
  return {
    result: (await result.count()) ? (await result.innerText()).trim() : null,
    alert: (await alert.count()) ? (await alert.innerText()).trim() : null,
  };
}

async function press(page: Page, button: string) {
  return remotesOutcome(page, () => remotesRegion(page).getByRole('button', { name: button, exact: true }).click());
}

/** Presses a button that downloads one file; returns its name and bytes with what the region said. */
async function pressForDownload(page: Page, button: string) {
  const download = page.waitForEvent('download', { timeout: HANG });
  const said = await remotesOutcome(page, () => remotesRegion(page).getByRole('button', { name: button, exact: true }).click());
  const file = await download;
  return { ...said, name: file.suggestedFilename(), bytes: new Uint8Array(readFileSync((await file.path())!)) };
}

async function chooseZip(page: Page, label: string, name: string, bytes: Uint8Array) {
  return remotesOutcome(page, () =>
    remotesRegion(page).getByLabel(label, { exact: true }).setInputFiles({ name, mimeType: 'application/zip', buffer: Buffer.from(bytes) }),
  );
}

/** Gives the page a folder picker that returns the origin-private folder `name` (created as needed), from the next load on. */
async function pickerReturning(page: Page, name: string): Promise<void> {
  await page.context().addInitScript((name) => {
    (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () =>
      (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true });
  }, name);
  await page.reload();
  await waitForPawprint(page);
}

/** The paths of the files under the origin-private folder `name`, without their bytes. */
async function opfsPaths(page: Page, name: string): Promise<string[]> {
  return page.evaluate(async (name) => {
    const out: string[] = [];
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
      for await (const [entry, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
        if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, `${prefix}${entry}/`);
        else out.push(`${prefix}${entry}`);
      }
    };
    await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle(name), '');
    return out;
  }, name);
}

/** Every file under the origin-private folder `name`, by "/"-separated path. */
async function opfsFiles(page: Page, name: string): Promise<Map<string, Uint8Array>> {
  const files = await page.evaluate(async (name) => {
    const out: Record<string, number[]> = {};
    const walk = async (dir: FileSystemDirectoryHandle, prefix: string): Promise<void> => {
      for await (const [entry, handle] of (dir as unknown as { entries(): AsyncIterable<[string, FileSystemHandle]> }).entries()) {
        if (handle.kind === 'directory') await walk(handle as FileSystemDirectoryHandle, `${prefix}${entry}/`);
        else out[`${prefix}${entry}`] = Array.from(new Uint8Array(await (await (handle as FileSystemFileHandle).getFile()).arrayBuffer()));
      }
    };
    await walk(await (await navigator.storage.getDirectory()).getDirectoryHandle(name), '');
    return out;
  }, name);
  return new Map(Object.entries(files).map(([path, bytes]) => [path, Uint8Array.from(bytes)]));
}

/** Reloads the page as a browser without the File System Access folder picker (Firefox, Safari) would run it. */
async function withoutFolderPicker(page: Page): Promise<void> {
  await page.context().addInitScript(() => {
    delete (window as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker;
    delete (Window.prototype as unknown as { showDirectoryPicker?: unknown }).showDirectoryPicker;
  });
  await reloadApp(page);
  await expect.poll(() => page.evaluate(() => 'showDirectoryPicker' in window)).toBe(false);
}

/** The DVC hash the page shows for the workspace in "data.dvc". */
async function shownDirHash(page: Page): Promise<string> {
  const shown = page.getByLabel('data.dvc', { exact: true });
  if (!(await shown.isVisible())) await page.getByRole('button', { name: 'Show data.dvc' }).click();
  const text = (await page.getByLabel('data.dvc', { exact: true }).textContent()) ?? '';
  return /md5: ([0-9a-f]{32}\.dir)/.exec(text)![1]!;
}

describe('remotes and bundles', () => {
  let page: Page;
  let history: TimelineEntry[];

  test('Push writes DVC’s remote layout into the picked folder; a second push writes only the index', async () => {
    const app = await session.open();
    page = app.page;
    await pickerReturning(page, 'remote');

    await importZip(page, { name: 'small.zip', bytes: subsetZip(FASHION(), { train: 20, validation: 10 }) });
    await setInputs(page, { imageSize: 22, epochs: 1, backend: 'WASM' });
    await trainButton(page).click();
    await waitForResult(page);
    await commitOk(page, 'Small model', 'v1.0');
    await importZip(page, { name: 'more.zip', bytes: subsetZip(FASHION(), { train: 30, validation: 10 }) });
    await commitOk(page, 'More sandals and sneakers', 'v2.0');
    const v2Dir = await shownDirHash(page);
    history = await timeline(page);
    expect(history.map(({ message, tags, head }) => ({ message, tags, head }))).toEqual([
      { message: 'More sandals and sneakers', tags: ['v2.0'], head: true },
      { message: 'Small model', tags: ['v1.0'], head: false },
    ]);

    const first = await press(page, 'Push');
    expect(first.alert).toBeNull();
    const written = /^Pushed 2 versions to the folder “remote”: (\d+) files written \((.+)\), 0 skipped\.$/.exec(first.result ?? '');
    expect(written, first.result ?? '').not.toBeNull();

    const files = await opfsFiles(page, 'remote');
    expect(files.size).toBe(Number(written![1]));
    const data = [...files].filter(([path]) => path.startsWith('files/md5/') && !path.endsWith('.dir'));
    // 60 + 20 distinct images, v1.0's model folder (weights.bin, model.json, metadata.json) and
    // its model.weights.h5, each under its own md5 as DVC lays it out.
    expect(data).toHaveLength(84);
    for (const [path, bytes] of data) expect(path, 'files/md5/<2>/<30> is the md5 of the bytes').toBe(`files/md5/${md5(bytes).slice(0, 2)}/${md5(bytes).slice(2)}`);
    // The two data sets' listings and v1.0's model/ folder (what model.dvc names).
    const listings = [...files].filter(([path]) => path.endsWith('.dir'));
    expect(listings).toHaveLength(3);
    for (const [path, bytes] of listings) {
      expect(path).toBe(`files/md5/${md5(bytes).slice(0, 2)}/${md5(bytes).slice(2)}.dir`);
      for (const { md5: fileMd5 } of JSON.parse(strFromU8(bytes)) as { md5: string }[]) expect(files.has(`files/md5/${fileMd5.slice(0, 2)}/${fileMd5.slice(2)}`)).toBe(true);
    }
    expect(files.has(`files/md5/${v2Dir.slice(0, 2)}/${v2Dir.slice(2)}`), 'the .dir of the data.dvc the page shows').toBe(true);
    const index = JSON.parse(strFromU8(files.get('pawprint/index.json')!));
    expect(index).toMatchObject({ format: 'pawprint-remote', schema: 1 });
    expect(Object.keys(index.tags).sort()).toEqual(['v1.0', 'v2.0']);
    expect(index.head).toBe(index.tags['v2.0']);

    const second = await press(page, 'Push');
    expect(second.result).toMatch(new RegExp(`^Pushed 2 versions to the folder “remote”: 1 file written \\(.+\\), ${files.size - 1} skipped\\.$`));

    // Pull reads the folder back (index, records, hashes) and finds nothing this browser lacks.
    const pulled = await press(page, 'Pull');
    expect(pulled).toEqual({ result: 'Pulled 0 versions from the folder “remote” (2 already here): 0 files fetched (0 B), 0 already stored.', alert: null });
    expect(await timeline(page)).toEqual(history);
  });

  let bundle: Uint8Array;

  test('Export bundle, then Import bundle into a fresh profile: the same timeline, tags and HEAD', async () => {
    const exported = await pressForDownload(page, 'Export bundle');
    expect(exported.alert).toBeNull();
    expect(exported.name).toMatch(/^pawprint-bundle-\d{4}-\d{2}-\d{2}\.zip$/);
    bundle = exported.bytes;

    const fresh = (await session.open()).page;
    const tampered = unzipSync(bundle);
    // weights.bin, found by the md5 the index records for the model's weights.
    const weightsMd5 = Object.values(JSON.parse(strFromU8(tampered['pawprint/index.json']!)).weights as Record<string, string>)[0]!;
    const weights = `files/md5/${weightsMd5.slice(0, 2)}/${weightsMd5.slice(2)}`;
    tampered[weights] = tampered[weights]!.map((byte, i) => (i === 10 ? byte ^ 1 : byte));
    const refused = await chooseZip(fresh, 'Import bundle', 'tampered.zip', zipSync(tampered, { level: 0 }));
    expect(refused.alert).toMatch(new RegExp(`^Pull from tampered\\.zip failed: ${weights} on tampered\\.zip is damaged: .+ Nothing was added to this browser's versions \\(not transferred: v1\\.0 and v2\\.0\\)\\.$`));
    expect(await timeline(fresh)).toEqual([]);

    const imported = await chooseZip(fresh, 'Import bundle', exported.name, bundle);
    expect(imported.alert).toBeNull();
    expect(imported.result).toMatch(new RegExp(`^Imported 2 versions from ${exported.name.replace(/\./g, '\\.')}: 81 files fetched \\(.+\\), 0 already stored\\. Checked out v2\\.0\\.$`));
    expect(await timeline(fresh)).toEqual(history);
    await reloadApp(fresh);
    expect(await timeline(fresh)).toEqual(history);
    expect(await shownDirHash(fresh)).toBe(await shownDirHash(page));
  });

  test('Without a folder picker, Push downloads a zip of the ticked versions and Pull reads it elsewhere', async () => {
    await withoutFolderPicker(page);
    const choice = remotesRegion(page).getByRole('group', { name: 'Versions to push', exact: true });
    await choice.getByRole('checkbox', { name: 'v2.0', exact: true }).uncheck();
    const pushed = await pressForDownload(page, 'Push');
    expect(pushed.result).toMatch(/^Saved 1 version in pawprint-bundle-.+\.zip/);
    expect(JSON.parse(strFromU8(unzipSync(pushed.bytes)['pawprint/index.json']!)).tags).toEqual({ 'v1.0': expect.any(String) });

    const other = (await session.open()).page;
    await withoutFolderPicker(other);
    const pulled = await chooseZip(other, 'Pull from a zip', pushed.name, pushed.bytes);
    expect(pulled.result).toMatch(/^Imported 1 version from .+ Checked out v1\.0\.$/);
    expect(await timeline(other)).toEqual([{ ...history[1]!, head: true }]);
  });

  test('Cancel stops a push of the tutorial’s 2 800 files; the folder has no index, and the next push completes, skipping what arrived', async () => {
    const { page } = await session.open();
    await pickerReturning(page, 'tutorial-remote');
    await importZip(page, await tutorialZip());
    await commitOk(page, 'Tutorial data', 'v1.0');

    const region = remotesRegion(page);
    await region.getByRole('button', { name: 'Push', exact: true }).click();
    const bar = region.getByRole('progressbar', { name: 'Pushing', exact: true });
    await expect.poll(async () => Number((await bar.getAttribute('value').catch(() => null)) ?? 0), { interval: 25, timeout: HANG }).toBeGreaterThan(0.1);
    const shown = (await region.locator('[aria-live="polite"]').innerText()).trim();
    expect(shown).toMatch(/^[\d ]+ \/ 2 804 files · [\d ]+ files\/s · [\d.]+ [KM]B\/s · /);
    const cancelled = await remotesOutcome(page, () => region.getByRole('button', { name: 'Cancel', exact: true }).click());
    expect(cancelled).toEqual({ result: 'Push cancelled: the remote’s index was not changed, so it lists only complete versions.', alert: null });
    const arrived = await opfsPaths(page, 'tutorial-remote');
    expect(arrived).not.toContain('pawprint/index.json');
    expect(arrived.length).toBeGreaterThan(0);

    const started = Date.now();
    const completed = await press(page, 'Push');
    const seconds = (Date.now() - started) / 1000;
    const counts = /^Pushed 1 version to the folder “tutorial-remote”: ([\d ]+) files written \((.+)\), ([\d ]+) skipped\.$/.exec(completed.result ?? '');
    expect(counts, completed.result ?? String(completed.alert)).not.toBeNull();
    const written = Number(counts![1]!.replace(/ /g, ''));
    const skipped = Number(counts![3]!.replace(/ /g, ''));
    expect(skipped).toBe(arrived.length);
    // 2 800 images, the .dir listing, the data set and version records, and the index.
    expect(written + skipped).toBe(2804);
    expect((await opfsPaths(page, 'tutorial-remote')).length).toBe(2804);
    console.info(`cancelled at "${shown}"; the next push wrote ${written} files (${counts![2]}) and skipped ${skipped} in ${seconds.toFixed(1)} s`);
  });
});
