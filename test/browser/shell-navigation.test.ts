// The page as it grows: a sidebar reaches every region by name and keeps HEAD and the version
// history in view while the page scrolls.
import { describe, expect, test } from 'vitest';
import { browsers } from './fixtures';
import { FASHION, importZip, subsetZip } from './training-helpers';
import { commitOk } from './versions-helpers';

const session = browsers({ perTest: true });

describe('navigation', () => {
  test('the sidebar links every region, shows HEAD and the history, and stays in view', async () => {
    const { page } = await session.open();
    const regions = page.getByRole('navigation', { name: 'Regions' });
    const links = await regions.getByRole('link').allInnerTexts();
    expect(links).toEqual(['Dataset', 'Training', 'Pipeline', 'Experiments', 'Versions', 'Registry', 'Monitoring']);
    const head = page.getByRole('region', { name: 'Checked out' });
    await expect.poll(() => head.innerText()).toContain('Nothing committed yet');

    await importZip(page, { name: 'small.zip', bytes: subsetZip(FASHION(), { train: 10, validation: 5 }) });
    await expect.poll(() => head.innerText()).toContain('Uncommitted changes');
    await commitOk(page, 'Only data', 'v0.1');
    await expect.poll(() => head.innerText()).toMatch(/v0\.1\s+Only data/);
    await expect.poll(() => head.innerText()).not.toContain('Uncommitted changes');
    const history = page.getByRole('list', { name: 'History', exact: true });
    await expect.poll(() => history.getByRole('button').allInnerTexts()).toEqual(['v0.1']);

    // Each link brings its region to the top of the window; the sidebar stays in view.
    for (const name of ['Versions', 'Experiments', 'Pipeline', 'Training', 'Dataset']) {
      await regions.getByRole('link', { name, exact: true }).click();
      const heading = page.getByRole('heading', { name, exact: true, level: 2 });
      await expect.poll(() => heading.evaluate((el) => Math.round(el.getBoundingClientRect().top))).toBeLessThan(100);
      await expect.poll(() => head.evaluate((el) => { const box = el.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; })).toBe(true);
    }

    // The last regions may sit too low on the page to reach its top: in view is enough.
    for (const name of ['Monitoring', 'Registry']) {
      await regions.getByRole('link', { name, exact: true }).click();
      const heading = page.getByRole('heading', { name, exact: true, level: 2 });
      await expect.poll(() => heading.evaluate((el) => { const box = el.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; })).toBe(true);
    }

    // A version in the history takes you to its entry in the Versions region, focused.
    await history.getByRole('button', { name: 'v0.1', exact: true }).click();
    const focused = await page.evaluate(() => document.activeElement?.id ?? '');
    expect(focused).toMatch(/^version-[0-9a-f]{64}$/);
    await expect.poll(() => page.evaluate(() => { const box = document.activeElement!.getBoundingClientRect(); return box.top >= 0 && box.bottom <= innerHeight; })).toBe(true);
  });
});
