// Helpers for the Experiments browser tests (this file holds no tests): the "Queue experiments"
// form and the table "Experiments" driven and read by role and accessible name, as a person
// would, and the experiment records read from the app's IndexedDB to check who ran what.
import type { Locator, Page } from 'playwright-core';
import { expect } from 'vitest';
import { HANG } from './fixtures';
import { setInputs } from './training-helpers';

export function experimentsRegion(page: Page): Locator {
  return page.getByRole('region', { name: 'Experiments', exact: true });
}

export function experimentsTable(page: Page): Locator {
  return experimentsRegion(page).getByRole('table', { name: 'Experiments', exact: true });
}

export interface GridValues {
  learningRate?: string;
  epochs?: string;
  batchSize?: string;
  imageSize?: string;
  seed?: string;
}

const GRID_LABELS: Record<keyof GridValues, string> = {
  learningRate: 'Learning rate values',
  epochs: 'Epochs values',
  batchSize: 'Batch size values',
  imageSize: 'Image size values',
  seed: 'Seed values',
};

/** Fills the grid fields given (others keep their values), presses "Queue N runs" and returns the page's notice. */
export async function queueGrid(page: Page, values: GridValues, runs: number): Promise<string> {
  const region = experimentsRegion(page);
  for (const [key, label] of Object.entries(GRID_LABELS) as [keyof GridValues, string][]) {
    const value = values[key];
    if (value !== undefined) await region.getByRole('textbox', { name: label, exact: true }).fill(value);
  }
  await region.getByRole('button', { name: `Queue ${runs} runs`, exact: true }).click();
  return listed(page, await notice(page));
}

/**
 * Waits until the table lists every run a "Queued …" notice names (the notice shows before the
 * table is re-read, and until then the queue line may still say "Queue empty."); returns the notice.
 */
export async function listed(page: Page, said: string): Promise<string> {
  const names = said.match(/exp-\w+/g) ?? [];
  await expect
    .poll(
      async () => {
        const shown = new Set((await tableRows(page)).map((row) => row.name));
        return names.filter((name) => !shown.has(name)).length;
      },
      { timeout: HANG, message: `the table lists ${names.join(', ')}` },
    )
    .toBe(0);
  return said;
}

/** The notice under the queue ("Queued 4 runs: …", "Applied …"), waited for. */
export async function notice(page: Page): Promise<string> {
  const status = experimentsRegion(page).getByRole('status', { name: 'Experiments result', exact: true });
  const alert = experimentsRegion(page).getByRole('alert');
  await Promise.race([status.waitFor({ timeout: HANG }), alert.first().waitFor({ timeout: HANG })]);
  if (await alert.count()) throw new Error(`the Experiments region shows an alert: ${(await alert.allInnerTexts()).join(' | ')}`);
  return (await status.innerText()).replace(/\s+/g, ' ').trim();
}

/** Training parameters the grid starts from: the backend the queue runs on, a small image. */
export async function useWasm(page: Page): Promise<void> {
  await setInputs(page, { backend: 'WASM', imageSize: 22, epochs: 1 });
}

/** The "Experiment queue" line: "Queue empty.", "exp-1a2b3 running in this tab, 3 runs queued.", … */
export async function queueLine(page: Page): Promise<string> {
  return (await experimentsRegion(page).getByRole('status', { name: 'Experiment queue', exact: true }).innerText()).replace(/\s+/g, ' ').trim();
}

export interface ExperimentTableRow {
  name: string;
  /** The State cell's text (a running row shows its progress line instead). */
  state: string;
  /** Column header → cell text, for every column. */
  cells: Record<string, string>;
}

/** The table's rows (not the baseline), in the order shown; empty when no table is shown. */
export async function tableRows(page: Page): Promise<ExperimentTableRow[]> {
  const table = experimentsTable(page);
  if ((await table.count()) === 0) return [];
  return table.evaluate((el) => {
    const t = el as HTMLTableElement;
    const columns = Array.from(t.tHead!.rows[0]!.cells).map((cell) => cell.textContent!.replace(/[▲▼]/g, '').trim());
    return Array.from(t.tBodies[0]!.rows)
      .filter((row) => row.getAttribute('aria-label') !== 'Baseline')
      .map((row) => {
        const cells = Object.fromEntries(Array.from(row.cells).map((cell, i) => [columns[i]!, (cell as HTMLElement).innerText.replace(/\s+/g, ' ').trim()]));
        return { name: row.getAttribute('aria-label')!, state: cells['State']!, cells };
      });
  });
}

/** Waits until no run is queued or running (no Cancel or Stop in the table, the queue line says so), and returns the rows. */
export async function waitForQueue(page: Page): Promise<ExperimentTableRow[]> {
  const table = experimentsTable(page);
  await expect
    .poll(async () => `${await queueLine(page)} ${await table.getByRole('button', { name: /^(Cancel|Stop) / }).count()}`, {
      message: 'the queue line, and how many rows still have Cancel or Stop',
      timeout: HANG,
      interval: 250,
    })
    .toBe('Queue empty. 0');
  return tableRows(page);
}

/** The row of one experiment. */
export function experimentRow(page: Page, name: string): Locator {
  return experimentsTable(page).getByRole('row', { name, exact: true });
}

export interface StoredExperiment {
  id: string;
  name: string;
  status: string;
  runner?: string;
  result?: string;
  cached?: { versionId: string; label: string };
  params: Record<string, unknown>;
}

/** Every record of the store's `experiments` object store, read in the page. */
export function storedExperiments(page: Page): Promise<StoredExperiment[]> {
  return page.evaluate(
    () =>
      new Promise<StoredExperiment[]>((resolve, reject) => {
        const open = indexedDB.open('pawprint');
        open.onerror = () => reject(open.error);
        open.onsuccess = () => {
          const db = open.result;
          const request = db.transaction('experiments').objectStore('experiments').getAll();
          request.onerror = () => reject(request.error);
          request.onsuccess = () => {
            db.close();
            resolve(request.result as StoredExperiment[]);
          };
        };
      }),
  );
}
