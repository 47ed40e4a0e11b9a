import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { exportApp } from '../../src/core/deploy';
import { utf8Bytes } from '../../src/core/hash';
import { assignStage } from '../../src/core/registry';
import { commitVersion, VersionError } from '../../src/core/versions';
import { rejection } from './rejection';
import { tutorialHistory } from './remote-fixtures';
import { at, ingestDataZip } from './versions-fixtures';

const ASSETS = new Map([
  ['index.html', utf8Bytes('<!doctype html><script type="module" src="./app.js"></script>')],
  ['app.js', utf8Bytes('console.log("app")')],
  ['sw.js', utf8Bytes('// sw')],
  ['tfjs-backend-wasm.wasm', new Uint8Array([0, 97, 115, 109])],
]);

describe('Download app', () => {
  test('the page, the model files, release.json naming the version and its stages, a README', async () => {
    const { store, v2 } = await tutorialHistory();
    await assignStage(store, { versionId: v2, stage: 'production' });
    const zip = unzipSync(await exportApp(store, v2, ASSETS, { appVersion: '0.1.0', now: at(30) }));
    expect(Object.keys(zip).sort()).toEqual(['README.txt', 'app.js', 'index.html', 'model/metadata.json', 'model/model.json', 'model/weights.bin', 'release.json', 'sw.js', 'tfjs-backend-wasm.wasm']);
    for (const [name, bytes] of ASSETS) expect(zip[name]).toEqual(bytes);
    const release = JSON.parse(strFromU8(zip['release.json']!));
    expect(release).toEqual({
      format: 'pawprint-app',
      schema: 1,
      version: { id: v2, label: 'v2.0', message: 'More labels', createdAt: at(2).toISOString() },
      stages: ['production'],
      exportedAt: at(30).toISOString(),
      appVersion: '0.1.0',
      files: Object.keys(zip).sort(),
    });
    const metadata = JSON.parse(strFromU8(zip['model/metadata.json']!));
    expect(metadata.version.id).toBe(v2);
    expect(JSON.parse(strFromU8(zip['model/model.json']!)).weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(strFromU8(zip['README.txt']!)).toContain('python3 -m http.server 8000');
  });

  test('a data-only version has no model to ship; a build without the page is said so', async () => {
    const { store, v1 } = await tutorialHistory();
    await ingestDataZip(store, 0.02);
    const dataOnly = await commitVersion(store, { message: 'Data only', now: at(3) });
    expect((await rejection(exportApp(store, dataOnly.id, ASSETS, { appVersion: '0.1.0' }), VersionError)).code).toBe('no-model');
    await expect(exportApp(store, v1, new Map(), { appVersion: '0.1.0' })).rejects.toThrow('The app page is missing from this build of Pawprint.');
  });
});
