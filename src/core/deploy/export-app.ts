import { exportModelFiles } from '../exchange/model-files';
import { readRegistry } from '../registry/read-registry';
import type { Store } from '../store';
import { readRefState } from '../versions/ref-state';
import { appZip, type AppAssets } from './app-zip';

/**
 * "Download app" for a version: its model (refused for a data-only version, as Download model
 * is) in the deployed page `assets`, with the version's label and current stages.
 */
export async function exportApp(store: Store, versionId: string, assets: AppAssets, options: { appVersion: string; now?: Date }): Promise<Uint8Array> {
  const model = await exportModelFiles(store, versionId);
  const [refs, registry, version] = await Promise.all([readRefState(store), readRegistry(store), store.getObject(versionId, 'version')]);
  return appZip({
    assets,
    model,
    release: {
      version: { id: versionId, label: refs.tagsByVersion.get(versionId)?.[0] ?? versionId.slice(0, 12), message: version.message, createdAt: version.createdAt },
      stages: registry.stagesByVersion.get(versionId) ?? [],
      exportedAt: (options.now ?? new Date()).toISOString(),
      appVersion: options.appVersion,
    },
  });
}
