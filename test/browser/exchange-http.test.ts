// Push and Pull through the Remotes region to a real HTTP remote: Debian's nginx with WebDAV
// PUT on loopback, which answers 401 without the right Authorization header
// (test/harness/nginx.mjs). One profile commits two small versions and pushes them; the files
// are checked on nginx's disk as DVC would (each file's md5 is its name); a FRESH profile pulls
// them and must show the same timeline, tags and HEAD. A wrong header is refused, said so in
// the page, and the secret never appears in the page's text or console.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { unzipSync } from 'fflate';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startNginx } from '../harness/nginx.mjs';
import { appUrl } from './app';
import { HANG, browsers } from './fixtures';
import { FASHION, importZip, subsetZip } from './training-helpers';
import { commitOk, timeline } from './versions-helpers';

const SECRET = 'Bearer pawprint-browser-s3cret';
const session = browsers({ perTest: false });

const md5 = (bytes: Uint8Array) => createHash('md5').update(bytes).digest('hex');

/** Every file under `root`, by "/"-separated path relative to it. */
function filesUnder(root: string): Map<string, Uint8Array> {
  const out = new Map<string, Uint8Array>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) out.set(relative(root, join(entry.parentPath, entry.name)), new Uint8Array(readFileSync(join(entry.parentPath, entry.name))));
  }
  return out;
}

function remotes(page: Page): Locator {
  return page.getByRole('region', { name: 'Remotes', exact: true });
}

/** Types the remote's URL and header, presses the button and returns what the page said. */
async function transfer(page: Page, button: 'Push to URL' | 'Pull from URL', url: string, authorization: string) {
  const region = remotes(page);
  await region.getByLabel('Remote URL', { exact: true }).fill(url);
  await region.getByLabel('Authorization header', { exact: true }).fill(authorization);
  await region.getByRole('button', { name: button, exact: true }).click();
  const result = region.getByRole('status', { name: 'Remotes result', exact: true });
  const error = region.getByRole('alert', { name: 'Remotes error', exact: true });
  await Promise.race([result.waitFor({ timeout: HANG }), error.waitFor({ timeout: HANG })]);
  await expect.poll(() => region.getByRole('button', { name: button, exact: true }).isEnabled()).toBe(true);
  return {
    result: (await result.count()) ? (await result.innerText()).trim() : null,
    error: (await error.count()) ? (await error.innerText()).trim() : null,
  };
}

describe('push to and pull from an HTTP remote (nginx on loopback)', () => {
  let remote: Awaited<ReturnType<typeof startNginx>>;
  const logged: string[] = [];
  const v1 = () => subsetZip(FASHION(), { train: 8, validation: 4 });
  const v2 = () => subsetZip(FASHION(), { train: 16, validation: 4 });
  let pusher: Page;

  beforeAll(async () => {
    remote = await startNginx({ authorization: SECRET, origin: appUrl() });
  });
  afterAll(() => remote?.close());

  async function open(): Promise<Page> {
    const { page } = await session.open();
    page.on('console', (message) => logged.push(message.text()));
    return page;
  }

  test('Push to URL writes both versions in DVC layout: every file under its md5', async () => {
    pusher = await open();
    await importZip(pusher, { name: 'v1.zip', bytes: v1() });
    await commitOk(pusher, 'Eight per class', 'v1.0');
    await importZip(pusher, { name: 'v2.zip', bytes: v2() });
    await commitOk(pusher, 'Sixteen per class', 'v2.0');

    const said = await transfer(pusher, 'Push to URL', remote.url, SECRET);
    expect(said.error).toBeNull();
    expect(said.result).toMatch(new RegExp(`^Pushed 2 versions to ${remote.url}: \\d+ files written \\(.+\\), 0 skipped\\.$`));

    const images = Object.values(unzipSync(v2())).map(md5);
    const onDisk = filesUnder(remote.root);
    const dvcFiles = [...onDisk].filter(([path]) => path.startsWith('files/md5/'));
    for (const [path, bytes] of dvcFiles) {
      const name = path.slice('files/md5/'.length).replace('/', '').replace(/\.dir$/, '');
      expect(md5(bytes), path).toBe(name);
    }
    const blobs = dvcFiles.filter(([path]) => !path.endsWith('.dir')).map(([path]) => path.slice('files/md5/'.length).replace('/', ''));
    expect(blobs.sort()).toEqual([...new Set(images)].sort());
    // One .dir listing per data set, naming only files that are there.
    const listings = dvcFiles.filter(([path]) => path.endsWith('.dir'));
    expect(listings).toHaveLength(2);
    for (const [, bytes] of listings) {
      for (const entry of JSON.parse(new TextDecoder().decode(bytes)) as { md5: string }[]) expect(blobs).toContain(entry.md5);
    }
    expect(onDisk.has('pawprint/index.json')).toBe(true);

    const again = await transfer(pusher, 'Push to URL', remote.url, SECRET);
    // Everything but the index is there already.
    expect(again.result).toMatch(new RegExp(`: 1 file written \\(.+\\), ${onDisk.size - 1} skipped\\.$`));
  });

  test('Pull from URL into a fresh browser shows the same timeline, tags and HEAD', async () => {
    const puller = await open();
    const said = await transfer(puller, 'Pull from URL', remote.url, SECRET);
    expect(said.error).toBeNull();
    expect(said.result).toMatch(new RegExp(`^Pulled 2 versions from ${remote.url}: \\d+ files fetched .*Checked out v2\\.0\\.`));
    const shown = (entries: Awaited<ReturnType<typeof timeline>>) => entries.map(({ message, tags, head }) => ({ message, tags, head }));
    const pulled = shown(await timeline(puller));
    expect(pulled).toEqual(shown(await timeline(pusher)));
    expect(pulled.map((entry) => entry.tags)).toEqual([['v2.0'], ['v1.0']]);
  });

  test('a wrong Authorization header is refused as unauthorised, naming what was not transferred', async () => {
    const before = [...filesUnder(remote.root)].map(([path, bytes]) => [path, md5(bytes)]);
    await importZip(pusher, { name: 'v3.zip', bytes: subsetZip(FASHION(), { train: 24, validation: 4 }) });
    await commitOk(pusher, 'Twenty-four per class', 'v3.0');

    const wrong = 'Bearer not-the-s3cret';
    const pushed = await transfer(pusher, 'Push to URL', remote.url, wrong);
    expect(pushed.result).toBeNull();
    expect(pushed.error).toMatch(/Unauthorised/);
    expect(pushed.error).toMatch(/Not added to the remote's index: .*v3\.0/);
    expect([...filesUnder(remote.root)].map(([path, bytes]) => [path, md5(bytes)])).toEqual(before);

    const puller = await open();
    const pulled = await transfer(puller, 'Pull from URL', remote.url, '');
    expect(pulled.error).toMatch(/Unauthorised/);
    expect(pulled.error).toMatch(/Nothing was added to this browser's versions/);
    expect(await timeline(puller)).toEqual([]);

    for (const page of [pusher, puller]) {
      const text = await page.locator('body').innerText();
      expect(text).not.toContain('s3cret');
    }
    expect(logged.filter((line) => line.includes('s3cret'))).toEqual([]);
  });
});
