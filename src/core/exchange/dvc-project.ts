import { zipSync, type Zippable } from 'fflate';
import type { TransferProgress } from '../format/progress';
import { utf8Bytes } from '../hash/bytes';
import { dvcFileText } from '../hash/dvc';
import type { Store } from '../store';
import { metricsCsv } from '../train/metrics-csv';
import { readDatasetFiles } from './dataset-files';
import { dvcFolderFileText } from './dvc-folder';
import { dvcYaml } from './dvc-yaml';
import { gitignoreText } from './gitignore';
import { PROJECT } from './layout';
import { metricsJson } from './metrics-json';
import { WEIGHTS_FILE, exportModelFiles, type ModelFiles } from './model-files';
import { paramsLeaves } from './params-yaml';
import { projectReadme } from './readme';
import { bottleneckFolder } from './bottleneck-folder';
import { FEATURES_PY } from './features-py';
import { TRAIN_HEAD_PY } from './train-head-py';
import { TRAIN_PY } from './train-py';
import { yamlMapping } from './yaml-mapping';

export interface ExportDvcProjectOptions {
  signal?: AbortSignal;
  /** Files of the data set read so far. */
  onProgress?: (progress: TransferProgress) => void;
}

/**
 * "Download as DVC project": a zip of a DVC repository's content for one
 * version — data/ and data.dvc, model/ and model.dvc (when the version has a
 * model), the metrics files, params.yaml, dvc.yaml, train.py, .gitignore and
 * a README with the commands. A head on pretrained features adds the
 * tutorial's first step: bottleneck/ (the page's features) with
 * bottleneck.dvc and features.py, and its train.py trains the head on them. Text files are deflated, images and weights
 * stored. Every entry carries the version's date, so the same version always
 * gives the same zip.
 */
export async function exportDvcProject(store: Store, versionId: string, options: ExportDvcProjectOptions = {}): Promise<Uint8Array> {
  const version = await store.getObject(versionId, 'version');
  const dataset = await store.getObject(version.dataset, 'dataset');
  const model = version.model === null ? null : await exportModelFiles(store, versionId);
  const data = await readDatasetFiles(store, dataset, options);
  options.signal?.throwIfAborted();

  const params = paramsLeaves(version.params);
  const head = version.model === null ? null : await store.getObject(version.model, 'model');
  const bottleneck = head?.features ? await bottleneckFolder(store, version, dataset, head) : null;
  const pretrained = bottleneck !== null;
  const texts: Record<string, string> = {
    'README.md': projectReadme({ versionId, version, dataset, pretrained }),
    '.gitignore': gitignoreText(model !== null, pretrained),
    'dvc.yaml': dvcYaml(params.map((leaf) => leaf.key), pretrained),
    [PROJECT.params]: `# Pawprint's training parameters; train.py reads them, dvc.yaml tracks them.\n${yamlMapping(params)}`,
    [PROJECT.trainScript]: pretrained ? TRAIN_HEAD_PY : TRAIN_PY,
    [`${PROJECT.data}.dvc`]: dvcFileText({ ...dataset.dvc, path: PROJECT.data }),
  };
  if (bottleneck) {
    texts[PROJECT.featuresScript] = FEATURES_PY;
    texts[`${PROJECT.bottleneck}.dvc`] = await dvcFolderFileText(PROJECT.bottleneck, bottleneck);
  }
  const modelFolder = model === null ? new Map<string, Uint8Array>() : modelFolderBytes(model);
  if (model !== null) {
    texts[`${PROJECT.model}.dvc`] = await dvcFolderFileText(PROJECT.model, modelFolder);
    texts[PROJECT.metricsJson] = metricsJson(version.metrics);
    texts[PROJECT.metricsCsv] = metricsCsv(version.history);
  }

  // Null prototype: the keys are paths, and a data file may be called "__proto__".
  const entries: Zippable = Object.create(null) as Zippable;
  for (const [path, text] of Object.entries(texts)) entries[path] = utf8Bytes(text);
  for (const [name, bytes] of modelFolder) entries[`${PROJECT.model}/${name}`] = name === WEIGHTS_FILE ? [bytes, STORED] : bytes;
  for (const [relpath, bytes] of data) entries[`${PROJECT.data}/${relpath}`] = [bytes, STORED];
  for (const [name, bytes] of bottleneck ?? []) entries[`${PROJECT.bottleneck}/${name}`] = name === 'features.npy' ? [bytes, STORED] : bytes;
  return zipSync(entries, { level: 6, mtime: new Date(version.createdAt) });
}

/** Images and weights barely compress: kept as they are, which also keeps zipping fast. */
const STORED = { level: 0 } as const;

function modelFolderBytes(files: ModelFiles): Map<string, Uint8Array> {
  return new Map([
    ['model.json', utf8Bytes(files['model.json'])],
    [WEIGHTS_FILE, files[WEIGHTS_FILE]],
    ['metadata.json', utf8Bytes(files['metadata.json'])],
  ]);
}
