import { zipSync, type Zippable } from 'fflate';
import type { TransferProgress } from '../format/progress';
import { utf8Bytes } from '../hash/bytes';
import { dvcFileText } from '../hash/dvc';
import type { Store } from '../store';
import { metricsCsv } from '../train/metrics-csv';
import { collidingPaths } from '../dataset/lookalike-names';
import { visibleText } from '../dataset/invisible-characters';
import { readDatasetFiles } from './dataset-files';
import { dvcFolderFileText, dvcFolderInfo } from './dvc-folder';
import { dvcLock, type LockEntry, type LockStage } from './dvc-lock';
import { dvcYaml } from './dvc-yaml';
import { gitignoreText } from './gitignore';
import { PROJECT } from './layout';
import { metricsJson } from './metrics-json';
import { md5Hex } from '../hash/md5';
import { kerasWeightsFile } from './keras/keras-weights-file';
import { WEIGHTS_FILE, exportedModel, modelTexts, readModelSource, type ModelFiles } from './model-files';
import { modelPt } from './model-pt';
import { paramsLeaves } from './params-yaml';
import { projectReadme } from './readme';
import { bottleneckFolder } from './bottleneck-folder';
import { featuresFolder } from './features-folder';
import { projectStages, type ProjectStage } from './project-stages';
import { FEATURES_PY } from './features-py';
import { TRAIN_HEAD_PY } from './train-head-py';
import { TRAIN_PY } from './train-py';
import { VALIDATE_PY } from './validate-py';
import { EVALUATE_PY } from './evaluate-py';
import { validationJson } from './validation-json';
import { evaluationJson } from './evaluation-json';
import { confusionOf } from '../versions/confusion';
import type { PixelCache } from '../preprocess/pixels';
import type { Dataset } from '../objects/types';
import { yamlMapping, type YamlLeaf } from './yaml-mapping';

export interface ExportDvcProjectOptions {
  signal?: AbortSignal;
  /** Files of the data set read so far. */
  onProgress?: (progress: TransferProgress) => void;
}

/**
 * "Download as DVC project": a zip of a DVC repository's content for one
 * version — data/ and data.dvc, model/ and model.dvc and the Keras
 * model.weights.h5 with its .dvc (when the version has a model), params.yaml,
 * .gitignore, a README with the commands, and the page's pipeline in
 * dvc.yaml (project-stages.ts) with its scripts and every output as the page
 * computed it: validation.json, (for a head on pretrained features:
 * bottleneck/, features.py and features/), model.pt, the metrics files and
 * evaluation.json — and dvc.lock when all are there. Text files are deflated,
 * images and weights stored. Every entry carries the version's date, so the
 * same version always gives the same zip.
 */
export async function exportDvcProject(store: Store, versionId: string, options: ExportDvcProjectOptions = {}): Promise<Uint8Array> {
  const version = await store.getObject(versionId, 'version');
  const dataset = await store.getObject(version.dataset, 'dataset');
  refuseCollidingPaths(dataset.entries.map((entry) => `${PROJECT.data}/${entry.path}`));
  const exported = version.model === null ? null : await exportedModel(store, await readModelSource(store, versionId));
  const model: ModelFiles | null = exported && { ...modelTexts(exported.source), [WEIGHTS_FILE]: exported.weights };
  const keras = exported && (await kerasWeightsFile(exported.source, exported.weights, new Date(version.createdAt)));
  const data = await readDatasetFiles(store, dataset, options);
  options.signal?.throwIfAborted();

  const params = paramsLeaves(version.params);
  const head = version.model === null ? null : await store.getObject(version.model, 'model');
  const bottleneck = head?.features ? await bottleneckFolder(store, version, dataset, head) : null;
  const pretrained = bottleneck !== null;
  const stages = projectStages(params.map((leaf) => leaf.key), pretrained);
  const texts: Record<string, string> = {
    '.gitignore': gitignoreText(model !== null, { pretrained, kerasWeights: keras !== null }),
    'dvc.yaml': dvcYaml(stages),
    [PROJECT.params]: `# Pawprint's training parameters; train.py reads them, dvc.yaml tracks them.\n${yamlMapping(params)}`,
    [PROJECT.trainScript]: pretrained ? TRAIN_HEAD_PY : TRAIN_PY,
    [`${PROJECT.data}.dvc`]: dvcFileText({ ...dataset.dvc, path: PROJECT.data }),
    [PROJECT.validateScript]: VALIDATE_PY,
    [PROJECT.evaluateScript]: EVALUATE_PY,
  };
  // Folders of the export by path, as features.py would write features/ from bottleneck/ and data/.
  const folders = new Map<string, Map<string, Uint8Array>>();
  const binaries = new Map<string, Uint8Array>();
  // What DVC records of each path (md5, size, nfiles), hashed once: features/, model.pt and
  // train.py are named by several stages, bottleneck/ by its .dvc file and a stage. A file's
  // record is asked for only once the texts are complete (by the lock, last).
  const described = new Map<string, Promise<Omit<LockEntry, 'path'> | null>>();
  const describe = (path: string) => {
    if (!described.has(path)) described.set(path, describeOnce(path));
    return described.get(path)!;
  };
  const describeOnce = async (path: string): Promise<Omit<LockEntry, 'path'> | null> => {
    if (path === PROJECT.data) return dataset.dvc;
    const folder = folders.get(path);
    if (folder) return dvcFolderInfo(folder);
    const bytes = binaries.get(path) ?? (Object.hasOwn(texts, path) ? utf8Bytes(texts[path]!) : null);
    return bytes && { md5: await md5Hex(bytes), size: bytes.byteLength };
  };
  if (bottleneck) {
    texts[PROJECT.featuresScript] = FEATURES_PY;
    folders.set(PROJECT.bottleneck, bottleneck.files);
    texts[`${PROJECT.bottleneck}.dvc`] = dvcFileText({ ...(await describe(PROJECT.bottleneck))!, path: PROJECT.bottleneck });
    // What features.py reads from params.yaml.
    const [seed, holdout] = ['train.seed', 'train.holdout'].map((key) => params.find((leaf) => leaf.key === key)?.value);
    const split = typeof seed === 'number' && typeof holdout === 'number' ? { seed, holdout } : null;
    const features = head && split && featuresFolder(dataset, bottleneck.rows, head.inputShape[0]!, split);
    if (features) folders.set(PROJECT.features, features);
  }
  const modelFolder = model === null ? new Map<string, Uint8Array>() : modelFolderBytes(model);
  // A head's model.pt holds the head alone (train.py's Head), not the head joined with its backbone.
  const torchWeights = head === null ? null : head.features ? new Uint8Array(await (await store.getBlob(head.weights)).arrayBuffer()) : model![WEIGHTS_FILE];
  const torchModel = head === null || torchWeights === null ? null : modelPt(head, torchWeights, new Date(version.createdAt));
  if (model !== null) {
    texts[`${PROJECT.model}.dvc`] = await dvcFolderFileText(PROJECT.model, modelFolder);
    if (keras) texts[`${PROJECT.kerasWeights}.dvc`] = dvcFileText({ md5: await md5Hex(keras), size: keras.byteLength, path: PROJECT.kerasWeights });
    texts[PROJECT.metricsJson] = metricsJson(version.metrics);
    texts[PROJECT.metricsCsv] = metricsCsv(version.history);
    const confusion = confusionOf(version);
    if (confusion) texts[PROJECT.evaluation] = evaluationJson(confusion);
  }
  texts[PROJECT.validation] = validationJson(dataset.entries, await undecodableImages(store, version.dataset, dataset, bottleneck?.rows ?? null));
  if (torchModel !== null) binaries.set(PROJECT.torchModel, torchModel);
  // When every stage's deps and outs are in the export, dvc.lock records the run the page made.
  const lock = await pipelineLock(stages, params, describe);
  if (lock !== null) texts['dvc.lock'] = lock;
  const outputs = { torchModel: torchModel !== null, evaluation: Object.hasOwn(texts, PROJECT.evaluation), lock: lock !== null };
  texts['README.md'] = projectReadme({ versionId, version, dataset, pretrained, kerasWeights: keras !== null, outputs });

  // Null prototype: the keys are paths, and a data file may be called "__proto__".
  const entries: Zippable = Object.create(null) as Zippable;
  for (const [path, text] of Object.entries(texts)) entries[path] = utf8Bytes(text);
  for (const [name, bytes] of modelFolder) entries[`${PROJECT.model}/${name}`] = name === WEIGHTS_FILE ? [bytes, STORED] : bytes;
  if (keras) entries[PROJECT.kerasWeights] = keras;
  for (const [path, bytes] of binaries) entries[path] = [bytes, STORED];
  for (const [relpath, bytes] of data) entries[`${PROJECT.data}/${relpath}`] = [bytes, STORED];
  for (const [folder, files] of folders) for (const [name, bytes] of files) entries[`${folder}/${name}`] = name.endsWith('.npy') ? [bytes, STORED] : bytes;
  return zipSync(entries, { level: 6, mtime: new Date(version.createdAt) });
}

/**
 * A project unpacked on macOS or Windows must give every file its own path:
 * there "data/train/Cat" and "data/train/cat" are one folder, and files
 * overwrite each other. Such a version is refused with the way forward
 * rather than exported with paths (and so a DVC hash) it does not have.
 */
function refuseCollidingPaths(paths: string[]): void {
  const groups = collidingPaths(paths);
  if (groups.length === 0) return;
  const shown = groups.slice(0, 3).map((group) => group.map((path) => visibleText(path)).join(' and ')).join('; ');
  const more = groups.length > 3 ? ` (and ${groups.length - 3} more)` : '';
  throw new Error(
    `This version's data set has paths that differ only in case or Unicode normalisation: ${shown}${more}. ` +
      'Unpacked on macOS or Windows they would be one folder or file and overwrite each other, so no project was downloaded. ' +
      'Rename or merge the classes in the Classes table, commit, and download that version.',
  );
}

/**
 * dvc.lock of `stages` from what the export holds at each path they name, or
 * null when one is missing (a data-only version has no model.pt): a lock must
 * record outputs that are there.
 */
async function pipelineLock(
  stages: readonly ProjectStage[],
  params: readonly YamlLeaf[],
  describe: (path: string) => Promise<Omit<LockEntry, 'path'> | null>,
): Promise<string | null> {
  const entry = async (path: string): Promise<LockEntry | null> => {
    const found = await describe(path);
    return found && { path, ...found };
  };
  const locked: LockStage[] = [];
  for (const stage of stages) {
    const deps = await Promise.all(stage.deps.map(entry));
    const outs = await Promise.all(stage.outs.map((out) => entry(out.path)));
    if (deps.includes(null) || outs.includes(null)) return null;
    const keys = new Set(stage.params);
    locked.push({ name: stage.name, cmd: stage.cmd, deps: deps as LockEntry[], params: params.filter((leaf) => keys.has(leaf.key)), outs: outs as LockEntry[] });
  }
  return dvcLock(locked);
}

/**
 * The images the page could not decode, by sha256: for a head, those without
 * features; for the convnet, the failures its pixel caches of the data set
 * recorded (decoding does not depend on the size; none known when those
 * derived caches were dropped since).
 */
async function undecodableImages(store: Store, datasetId: string, dataset: Dataset, rows: ReadonlyMap<string, Float32Array> | null): Promise<Set<string>> {
  if (rows) return new Set(dataset.entries.filter((entry) => !rows.has(entry.sha256)).map((entry) => entry.sha256));
  const keys = (await store.derivedKeys('pixels/')).filter((key) => key.endsWith(`/${datasetId}`));
  const caches = (await store.getDerivedMany(keys)) as (PixelCache | undefined)[];
  return new Set(caches.flatMap((cache) => cache?.failures.map((failure) => failure.sha256) ?? []));
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
