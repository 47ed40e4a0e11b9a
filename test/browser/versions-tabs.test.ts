// Two tabs of the app on one profile (one IndexedDB): a commit or checkout in one tab shows in
// the other without a reload (BroadcastChannel), and commits pressed in both tabs at once never
// lose one: each either lands or is refused with a clear message, and every commit a tab
// reported is on the timeline after a reload.
import type { Page } from 'playwright-core';
import { describe, expect, test } from 'vitest';
import { HANG, browsers, classesTable, png, zip } from './fixtures';
import { FASHION, importZip, subsetZip } from './training-helpers';
import { checkout, commitButton, commitOk, openTab, outcome, reloadApp, statusText, timeline, type Tab } from './versions-helpers';

const session = browsers({ perTest: true });

function pngZip(label: string, seeds: number[]) {
  return { name: `extra-${seeds[0]}.zip`, bytes: zip(Object.fromEntries(seeds.map((seed) => [`data/train/${label}/extra-${seed}.png`, png(seed, 32, 32)]))) };
}

/** Fills the commit form of both tabs, then clicks Commit in both as close together as the page allows. */
async function commitBoth(a: Page, b: Page, messages: [string, string]) {
  for (const [page, message] of [[a, messages[0]], [b, messages[1]]] as const) {
    await page.getByRole('textbox', { name: 'Message', exact: true }).fill(message);
    await page.getByRole('textbox', { name: 'Tag', exact: true }).fill('');
    await commitButton(page).waitFor();
  }
  // Both clicks go out over CDP back to back, without waiting for either to finish.
  const press = (page: Page) =>
    page.evaluate(async () => {
      const button = Array.from(document.querySelectorAll('button')).find((el) => el.textContent?.trim() === 'Commit')!;
      button.click();
      const at = performance.timeOrigin + performance.now();
      // Let the page render the click (the previous result is cleared) before reading it.
      await new Promise((resolve) => setTimeout(resolve, 0));
      return at;
    });
  const [atA, atB] = await Promise.all([press(a), press(b)]);
  console.info(`Commit clicked in both tabs ${Math.abs(atA - atB).toFixed(1)} ms apart`);
  return Promise.all([outcome(a), outcome(b)]);
}

describe('versions: two tabs on one profile', () => {
  test('a commit in one tab shows in the other without a reload; commits in both at once are never lost', async () => {
    const app = await session.open();
    const a = app.page;
    let tab: Tab | undefined;
    try {
      tab = await openTab(app.context);
      const b = tab.page;
      await importZip(a, { name: 'fashion-small.zip', bytes: subsetZip(FASHION(), { train: 10, validation: 5 }) });
      await expect.poll(async () => (await classesTable(b))?.total, { message: "tab B sees tab A's import", timeout: HANG }).toEqual({ train: 20, validation: 10, Total: 30 });

      // A commit in tab A appears in tab B's timeline, without a reload.
      await commitOk(a, 'Committed in tab A', 'v1.0');
      await expect.poll(async () => (await timeline(b)).map((item) => [item.message, item.tags, item.head]), { timeout: HANG }).toEqual([['Committed in tab A', ['v1.0'], true]]);
      await expect.poll(() => statusText(b), { timeout: HANG }).toBe('Up to date with v1.0');

      // A checkout in tab B shows in tab A.
      await importZip(b, pngZip('sandal', [11, 12]));
      await commitOk(b, 'Committed in tab B', 'v2.0');
      await expect.poll(async () => (await timeline(a)).map((item) => item.message), { timeout: HANG }).toEqual(['Committed in tab B', 'Committed in tab A']);
      expect(await checkout(b, 'v1.0')).toEqual({ result: 'Checked out v1.0.', alert: null });
      await expect.poll(async () => (await classesTable(a))?.total, { message: "tab A's Classes after tab B's checkout", timeout: HANG }).toEqual({ train: 20, validation: 10, Total: 30 });
      await expect.poll(async () => (await timeline(a)).find((item) => item.head)?.tags, { timeout: HANG }).toEqual(['v1.0']);

      // Both tabs commit at once, with different messages, then with the same message.
      const reported: string[] = [];
      const rounds: [string, string][] = [
        ['At once from tab A', 'At once from tab B'],
        ['Same message in both tabs', 'Same message in both tabs'],
      ];
      for (const [round, messages] of rounds.entries()) {
        await importZip(a, pngZip('sneaker', [100 + round * 10, 101 + round * 10]));
        await expect.poll(() => statusText(b), { message: "tab B sees tab A's new files", timeout: HANG }).toBe(await statusText(a));
        // A refused commit's alert ("Nothing to commit…") goes once the workspace has changed: in tab A by its
        // own import (importZip found no alert), in tab B by what tab A told it.
        await expect.poll(() => b.getByRole('alert').allInnerTexts(), { message: "tab B's alerts after tab A's import", timeout: HANG }).toEqual([]);
        const said = await commitBoth(a, b, messages);
        console.info(`round ${round + 1}: tab A: ${JSON.stringify(said[0])}; tab B: ${JSON.stringify(said[1])}`);
        for (const [i, { result, alert }] of said.entries()) {
          if (result !== null) {
            expect(alert, `tab ${'AB'[i]} reports both a result and an alert`).toBeNull();
            const message = /^Committed “(.+)” \(data only\)\.$/.exec(result)?.[1];
            expect(message, `tab ${'AB'[i]}'s result "${result}"`).toBe(messages[i]);
            reported.push(message!);
          } else {
            // The refused commit says why, in words a person can act on.
            expect(alert, `tab ${'AB'[i]} shows neither a result nor an alert`).not.toBeNull();
            expect(alert).toMatch(/another tab|Nothing to commit/);
          }
        }
        expect(said.some(({ result }) => result !== null), `round ${round + 1}: at least one commit lands`).toBe(true);
      }
      expect(reported.filter((m) => m === 'Same message in both tabs').length, 'the same work committed twice at once makes one version').toBe(1);

      // After a reload of both tabs, every reported commit is on the timeline, once.
      for (const page of [a, b]) {
        await reloadApp(page);
        const messages = (await timeline(page)).map((item) => item.message);
        for (const message of reported) expect(messages.filter((m) => m === message), `"${message}" on the timeline after a reload`).toHaveLength(1);
        expect(messages.length, 'versions on the timeline: the 2 first commits + every reported one').toBe(2 + reported.length);
      }
      expect(tab.pageErrors, "tab B's uncaught errors").toEqual([]);
      expect(app.pageErrors, "tab A's uncaught errors").toEqual([]);
    } finally {
      await tab?.page.close().catch(() => {});
    }
  });
});
