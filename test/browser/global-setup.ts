// Global setup of the 'browser' vitest project: checks for Chromium, builds the app once
// (vite build, production mode) and serves it with vite preview on 127.0.0.1:<free port>.
// Tests read the URL with inject('pawprintUrl').
//
// It also makes sure the real-data fixtures the dataset tests drop through the UI exist:
// `node scripts/make-datasets.mjs --only fashion,photos` (Fashion-MNIST sandal/sneaker and the
// Tux Paint photos, from Debian packages; ~2 s, and a no-op when they are up to date), run in
// a child process next to the build. Tests read the folder with inject('pawprintDatasets').
//
// Nothing here may turn a missing browser or a broken build into skipped or passing tests:
// on such a problem the setup provides the reason as 'pawprintSetupError', and every browser
// test fails with it (see appUrl() in ./app.ts). A failed dataset build is provided as
// 'pawprintDatasetsError': the tests that need the data fail with it (see ./fixtures.ts),
// the others still run. The unit project still runs and reports.
import type { TestProject } from 'vitest/node';
import { findChromium } from '../harness/chromium.mjs';
import { datasetsDir, makeDatasets } from '../harness/datasets.mjs';
import { buildAndServe } from '../harness/server.mjs';

declare module 'vitest' {
  export interface ProvidedContext {
    /** Origin of the served build, e.g. "http://127.0.0.1:41234"; '' when setup failed. */
    pawprintUrl: string;
    /** The folder of that build, for tests that serve it another way. */
    pawprintOutDir: string;
    /** Why the browser tests cannot run; '' when all is well. */
    pawprintSetupError: string;
    /** Folder holding fashion/ and photos/ (scripts/make-datasets.mjs output). */
    pawprintDatasets: string;
    /** Why the real-data fixtures could not be built; '' when all is well. */
    pawprintDatasetsError: string;
  }
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  let error = '';
  let datasetsError = '';
  let server: { url: string; outDir: string; close: () => Promise<void> } | undefined;
  const datasets = datasetsDir();
  const fixtures = makeDatasets(['fashion', 'photos'], { dir: datasets }).catch((err: unknown) => {
    datasetsError = `Could not build the real-data fixtures in ${datasets}: ${message(err)}`;
  });
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
  await fixtures;
  if (error) console.error(`\n[browser tests] ${error}\n`);
  if (datasetsError) console.error(`\n[browser tests] ${datasetsError}\n`);
  project.provide('pawprintUrl', server?.url ?? '');
  project.provide('pawprintOutDir', server?.outDir ?? '');
  project.provide('pawprintSetupError', error);
  project.provide('pawprintDatasets', datasets);
  project.provide('pawprintDatasetsError', datasetsError);
  return async () => {
    await server?.close();
  };
}
