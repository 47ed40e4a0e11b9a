// bench:exchange, first half: one run of push and pull through the Remotes region, as a person
// would (see exchange.mjs for the steps). The folder is an OPFS directory handed out by a
// replaced window.showDirectoryPicker: only the picker is replaced, the writes are the app's.
import { openFreshApp } from './browser.mjs';
import { listFiles } from './exchange-native.mjs';
import { importZip } from './train-page.mjs';

const FOLDER = 'pawprint-remote';
const TIMEOUT_MS = 900_000;

/**
 * @param {string} url The app.
 * @param {{ v1Zip: string, v2Zip: string }} history
 * @param {{ url: string, root: string }} remote nginx, empty.
 * @param {string} authorization
 * @param {(text: string) => void} log
 */
export async function transferRun(url, history, remote, authorization, log) {
  /** @type {Record<string, { ms: number, notice: string, written?: number, skipped?: number }>} */
  const steps = {};
  const record = (/** @type {string} */ name, /** @type {{ ms: number, notice: string }} */ step) => {
    steps[name] = { ...step, ...counts(step.notice) };
    log(`${name}: ${(step.ms / 1000).toFixed(2)} s — ${step.notice}`);
  };

  const pusher = await openFreshApp(url);
  const chromium = pusher.version;
  try {
    const { page } = pusher;
    await importZip(page, history.v1Zip);
    await commit(page, 'Half the training images', 'v1');
    await importZip(page, history.v2Zip);
    await commit(page, 'All the training images', 'v2');
    await pickOpfsFolder(page);
    record('folderPush', await press(page, 'Push', /^Pushed 2 versions/));
    record('folderPushAgain', await press(page, 'Push', /^Pushed 2 versions/));
    await fillRemote(page, remote.url, authorization);
    record('httpPush', await press(page, 'Push to URL', /^Pushed 2 versions/));
    record('httpPushAgain', await press(page, 'Push to URL', /^Pushed 2 versions/));
  } finally {
    await pusher.close();
  }

  const httpPuller = await openFreshApp(url);
  try {
    await fillRemote(httpPuller.page, remote.url, authorization);
    record('httpPull', await press(httpPuller.page, 'Pull from URL', /^Pulled 2 versions/));
  } finally {
    await httpPuller.close();
  }

  const folderPuller = await openFreshApp(url);
  try {
    await copyIntoOpfs(folderPuller.page, remote, authorization);
    await pickOpfsFolder(folderPuller.page);
    record('folderPull', await press(folderPuller.page, 'Pull', /^Pulled 2 versions/));
  } finally {
    await folderPuller.close();
  }
  return { steps, chromium };
}

/** "… 2 812 files written (67 MB), 0 skipped." → { written: 2812, skipped: 0 } (pushes only). */
function counts(/** @type {string} */ notice) {
  const number = (/** @type {string | undefined} */ text) => (text === undefined ? undefined : Number(text.replace(/\D/g, '')));
  const match = /: ([\d\s\u00a0\u202f,]+) files? written .*, ([\d\s\u00a0\u202f,]+) skipped/.exec(notice);
  return match ? { written: number(match[1]), skipped: number(match[2]) } : {};
}

/** @param {import('playwright-core').Page} page @param {string} message @param {string} tag */
async function commit(page, message, tag) {
  await page.getByRole('textbox', { name: 'Message', exact: true }).fill(message);
  await page.getByRole('textbox', { name: 'Tag', exact: true }).fill(tag);
  await page.getByRole('button', { name: 'Commit', exact: true }).click();
  const result = page.getByRole('status', { name: 'Versions result', exact: true });
  await Promise.race([result.filter({ hasText: `as ${tag}` }).waitFor({ timeout: TIMEOUT_MS }), page.getByRole('alert').first().waitFor({ timeout: TIMEOUT_MS })]);
  const alerts = await page.getByRole('alert').allInnerTexts();
  if (alerts.length) throw new Error(`commit ${tag} failed: ${alerts.join(' | ')}`);
}

/** The folder picker answers with an OPFS folder of this profile. @param {import('playwright-core').Page} page */
function pickOpfsFolder(page) {
  return page.evaluate((name) => {
    /** @type {any} */ (window).showDirectoryPicker = async () => (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true });
  }, FOLDER);
}

/** @param {import('playwright-core').Page} page @param {string} url @param {string} authorization */
async function fillRemote(page, url, authorization) {
  const region = page.getByRole('region', { name: 'Remotes', exact: true });
  await region.getByLabel('Remote URL', { exact: true }).fill(url);
  await region.getByLabel('Authorization header', { exact: true }).fill(authorization);
}

/**
 * Presses a Remotes button and times it, in the page, until a NEW result notice or error is in
 * the DOM (the previous push's notice reads alike and stays up while a folder is picked);
 * throws with the page's error, or when the notice is not the expected one.
 * @param {import('playwright-core').Page} page @param {string} button @param {RegExp} expected
 */
async function press(page, button, expected) {
  const region = page.getByRole('region', { name: 'Remotes', exact: true });
  const ms = await region.getByRole('button', { name: button, exact: true }).evaluate(
    (target) =>
      new Promise((resolve) => {
        const section = /** @type {HTMLElement} */ (target.closest('section'));
        const outcome = () => section.querySelector('[aria-label="Remotes result"], [aria-label="Remotes error"]');
        const before = outcome();
        const started = performance.now();
        const observer = new MutationObserver(() => {
          const now = outcome();
          if (now === null || now === before) return;
          observer.disconnect();
          resolve(performance.now() - started);
        });
        observer.observe(section, { childList: true, subtree: true, characterData: true });
        /** @type {HTMLButtonElement} */ (target).click();
      }),
  );
  const error = region.getByRole('alert', { name: 'Remotes error', exact: true });
  if (await error.count()) throw new Error(`${button} failed: ${await error.innerText()}`);
  const notice = (await region.getByRole('status', { name: 'Remotes result', exact: true }).innerText()).trim();
  if (!expected.test(notice)) throw new Error(`${button} said: ${notice}`);
  return { ms: /** @type {number} */ (ms), notice };
}

/**
 * Fills this profile's OPFS folder with the remote's files (read from nginx in the page,
 * untimed), so a folder pull reads what the folder push wrote.
 * @param {import('playwright-core').Page} page @param {{ url: string, root: string }} remote @param {string} authorization
 */
async function copyIntoOpfs(page, remote, authorization) {
  const paths = listFiles(remote.root).map((f) => f.path);
  await page.evaluate(
    async ({ name, base, paths, authorization }) => {
      const root = await (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true });
      let next = 0;
      const lane = async () => {
        while (next < paths.length) {
          const path = /** @type {string} */ (paths[next++]);
          const response = await fetch(`${base}/${path}`, { headers: { Authorization: authorization } });
          if (!response.ok) throw new Error(`GET ${path}: ${response.status}`);
          const parts = path.split('/');
          let folder = root;
          for (const part of parts.slice(0, -1)) folder = await folder.getDirectoryHandle(part, { create: true });
          const writable = await (await folder.getFileHandle(/** @type {string} */ (parts.at(-1)), { create: true })).createWritable();
          await writable.write(await response.arrayBuffer());
          await writable.close();
        }
      };
      await Promise.all([lane(), lane(), lane(), lane()]);
    },
    { name: FOLDER, base: remote.url, paths, authorization },
  );
}
