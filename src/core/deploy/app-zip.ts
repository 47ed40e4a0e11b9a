import { strToU8, zipSync, type Zippable } from 'fflate';
import type { ModelFiles } from '../exchange/model-files';
import { RELEASE_FORMAT, RELEASE_SCHEMA, type Release } from './release';

/** The deployed page's built files (index.html, app.js, sw.js, the wasm binaries), by name. */
export type AppAssets = ReadonlyMap<string, Uint8Array>;

export interface AppZipInput {
  assets: AppAssets;
  model: ModelFiles;
  release: Omit<Release, 'format' | 'schema' | 'files'>;
}

/**
 * "Download app": a static site that classifies with one version's model, offline. The page
 * (built with Pawprint, so nothing is fetched from elsewhere) sits at the root beside
 * `model/` (the files of "Download model"), `release.json` (which version it is) and a README.
 */
export function appZip({ assets, model, release }: AppZipInput): Uint8Array {
  if (!assets.has('index.html')) throw new Error('The app page is missing from this build of Pawprint.');
  const files = new Map<string, Uint8Array>(assets);
  files.set('model/model.json', strToU8(model['model.json']));
  files.set('model/weights.bin', model['weights.bin']);
  files.set('model/metadata.json', strToU8(model['metadata.json']));
  files.set('README.txt', strToU8(readme(release)));
  const names = [...files.keys(), 'release.json'].sort();
  const full: Release = { format: RELEASE_FORMAT, schema: RELEASE_SCHEMA, ...release, files: names };
  files.set('release.json', strToU8(`${JSON.stringify(full, null, 2)}\n`));
  const entries: Zippable = {};
  // Weights and wasm barely compress: stored; text deflated.
  for (const name of names) entries[name] = [files.get(name)!, { level: /\.(bin|wasm)$/.test(name) ? 0 : 6 }];
  return zipSync(entries, { mtime: new Date(release.version.createdAt) });
}

function readme(release: AppZipInput['release']): string {
  return `Image classifier: ${release.version.label} (${release.version.message})
Made with Pawprint ${release.appVersion} from version ${release.version.id}.

Serve this folder from any static web server and open index.html, for example:

    python3 -m http.server 8000      # then open http://localhost:8000/

Drop or pick an image, or use the camera (which browsers allow on https:// and on localhost).
Everything runs in the browser: no image leaves the machine. After the first visit the page
works offline. model/ holds the TensorFlow.js model (model.json, weights.bin) and its labels and
preprocessing (metadata.json); release.json says which Pawprint version it is.
`;
}
