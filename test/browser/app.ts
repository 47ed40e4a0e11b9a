// Helpers shared by the browser test files (this file holds no tests).
import { inject } from 'vitest';
import { openApp, waitForPawprint, type OpenedApp } from '../harness/page.mjs';

export type { OpenedApp };
export { waitForPawprint };

/** The served app's origin. Throws (so the test FAILS) when global setup could not run. */
export function appUrl(): string {
  const error = inject('pawprintSetupError');
  if (error) throw new Error(error);
  const url = inject('pawprintUrl');
  if (!url) throw new Error('The browser project has no app URL: was test/browser/global-setup.ts run?');
  return url;
}

/** The served build's folder (to serve it another way). */
export function appOutDir(): string {
  appUrl();
  return inject('pawprintOutDir');
}

/** Opens the app (at `url`, default the served build) in a fresh Chromium profile (or `userDataDir`), with `extraArgs` switches, and waits for window.pawprint.ready. */
export async function openPawprint(options: { userDataDir?: string; url?: string; extraArgs?: string[] } = {}): Promise<OpenedApp> {
  const app = await openApp(options.url ?? appUrl(), options);
  try {
    await app.waitForPawprint();
  } catch (err) {
    await app.close();
    throw err;
  }
  return app;
}

/** The result of window.pawprint.putFiles, as the page contract describes it. */
export interface PutResult {
  storedCount: number;
  skippedCount: number;
  bytesStored: number;
  bytesSkipped: number;
  sha256: string[];
}

/** Stores one blob made of `bytes` through the page's debug handle. */
export async function putBytes(app: OpenedApp, bytes: Uint8Array): Promise<PutResult> {
  return app.page.evaluate(async (data: number[]) => {
    const pawprint = (window as unknown as { pawprint: { putFiles(files: Blob[]): Promise<PutResult> } }).pawprint;
    return pawprint.putFiles([new Blob([new Uint8Array(data)])]);
  }, Array.from(bytes));
}

/** Reads a stored blob back through the page's debug handle, as bytes. */
export async function readBytes(app: OpenedApp, sha256: string): Promise<Uint8Array> {
  const data = await app.page.evaluate(async (key: string) => {
    const pawprint = (window as unknown as { pawprint: { readBlob(sha256: string): Promise<Blob> } }).pawprint;
    const blob = await pawprint.readBlob(key);
    return Array.from(new Uint8Array(await blob.arrayBuffer()));
  }, sha256);
  return Uint8Array.from(data);
}
