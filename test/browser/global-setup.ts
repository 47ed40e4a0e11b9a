// Global setup of the 'browser' vitest project: checks for Chromium, builds the app once
// (vite build, production mode) and serves it with vite preview on 127.0.0.1:<free port>.
// Tests read the URL with inject('pawprintUrl').
//
// Nothing here may turn a missing browser or a broken build into skipped or passing tests:
// on such a problem the setup provides the reason as 'pawprintSetupError', and every browser
// test fails with it (see appUrl() in ./app.ts). The unit project still runs and reports.
import type { TestProject } from 'vitest/node';
import { findChromium } from '../harness/chromium.mjs';
import { buildAndServe } from '../harness/server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the served build, e.g. "http://127.0.0.1:41234"; '' when setup failed. */
    pawprintUrl: string;
    /** Why the browser tests cannot run; '' when all is well. */
    pawprintSetupError: string;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let error = '';
  let server: { url: string; close: () => Promise<void> } | undefined;
  try {
    findChromium();
  } catch (err) {
    error = message(err);
  }
  if (!error) {
    try {
      // PAWPRINT_APP_ROOT: serve another Vite project (used to develop the harness itself).
      const root = process.env.PAWPRINT_APP_ROOT;
      server = await buildAndServe(root ? { root } : {});
    } catch (err) {
      error = `Could not build and serve the app for the browser tests: ${message(err)}`;
    }
  }
  if (error) console.error(`\n[browser tests] ${error}\n`);
  project.provide('pawprintUrl', server?.url ?? '');
  project.provide('pawprintSetupError', error);
  return async () => {
    await server?.close();
  };
}
