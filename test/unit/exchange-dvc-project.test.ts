import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { unzipSync } from 'fflate';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../harness/server.mjs';
import { exportDvcProject, exportModelFiles } from '../../src/core/exchange';
import { dvcCachePath } from '../../src/core/hash';
import { MemoryRemote, push } from '../../src/core/remote';
import { importModel } from '../../src/core/exchange/import-model';
import { metricsJson } from '../../src/core/exchange/metrics-json';
import { yamlMapping } from '../../src/core/exchange/yaml-mapping';
import type { Dataset, ModelRecord } from '../../src/core/objects/types';
import { CorruptObjectError, Store } from '../../src/core/store';
import { PYTHON, python } from '../harness/python.mjs';
import { metricsCsv } from '../../src/core/train/metrics-csv';
import { loadSnapshot } from '../../src/core/train/snapshot';
import { DEFAULT_PARAMS } from '../../src/core/train/params';
import { assignSplits, classNamesOf } from '../../src/core/train/split';
import type { HistoryRow } from '../../src/core/train/types';
import { commitVersion } from '../../src/core/versions/commit-version';
import {
  classImages,
  commitModelVersion,
  freshStore,
  pngOf,
  storeWorkspace,
  tutorialImages,
  type ImageSpec,
} from './exchange-fixtures';
import { ODD_LABELS } from './odd-labels';
import { buildPixelCache, pixelCacheKey, type DecodeImage } from '../../src/core/preprocess/pixels';
import { pictures, pretrainedVersion, type Picture } from './features-fixtures';

const folders: string[] = [];

function tempFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'pawprint-dvc-'));
  folders.push(folder);
  return folder;
}

/** Unzips into a new folder, as a user would; returns the folder and the zip's entries. */
function extract(zip: Uint8Array): { folder: string; files: Record<string, Uint8Array> } {
  const folder = tempFolder();
  const files = unzipSync(zip);
  for (const [path, bytes] of Object.entries(files)) {
    mkdirSync(dirname(join(folder, path)), { recursive: true });
    writeFileSync(join(folder, path), bytes);
  }
  return { folder, files };
}

const text = (files: Record<string, Uint8Array>, path: string) => new TextDecoder().decode(files[path]);

interface Project {
  store: Store;
  versionId: string;
  dataset: Dataset;
  images: ImageSpec[];
  zip: Uint8Array;
}

/** The tutorial in miniature, committed with a model, and its export. */
async function exportedTutorial(): Promise<Project> {
  const store = await freshStore();
  const images = tutorialImages();
  const workspace = await storeWorkspace(store, images);
  const validation = images.filter((image) => image.split === 'validation');
  const { versionId } = await commitModelVersion(store, workspace.id, ['cats', 'dogs'], validation);
  return { store, versionId, dataset: workspace.dataset, images, zip: await exportDvcProject(store, versionId) };
}

beforeAll(async () => {
  await tf.setBackend('cpu');
});

afterAll(() => {
  folders.forEach((folder) => rmSync(folder, { recursive: true, force: true }));
});

describe('exportDvcProject: the repository content', () => {
  it('holds data/, the model, the DVC files, params, metrics, train.py and a README; the same version gives the same zip', async () => {
    const project = await exportedTutorial();
    const { files } = extract(project.zip);
    const dataPaths = project.images.map((image) => `data/${image.path}`);
    expect(Object.keys(files).sort()).toEqual(
      [
        '.gitignore',
        'README.md',
        'data.dvc',
        'dvc.lock',
        'dvc.yaml',
        'evaluate.py',
        'evaluation.json',
        'metrics.csv',
        'metrics.json',
        'model.dvc',
        'model.pt',
        'model/metadata.json',
        'model/model.json',
        'model/weights.bin',
        'model.weights.h5',
        'model.weights.h5.dvc',
        'params.yaml',
        'train.py',
        'validate.py',
        'validation.json',
        ...dataPaths,
      ].sort(),
    );
    for (const image of project.images) expect(files[`data/${image.path}`]).toEqual(image.bytes);

    const model = await exportModelFiles(project.store, project.versionId);
    expect(text(files, 'model/model.json')).toBe(model['model.json']);
    expect(text(files, 'model/metadata.json')).toBe(model['metadata.json']);
    expect(files['model/weights.bin']).toEqual(model['weights.bin']);

    expect(text(files, 'metrics.csv')).toBe('epoch,accuracy,loss,val_accuracy,val_loss\r\n0,0.5,0.6931,0.5,0.6929\r\n');
    expect(text(files, 'metrics.json')).toBe('{\n  "accuracy": 0.5,\n  "loss": 0.6931,\n  "val_accuracy": 0.5,\n  "val_loss": 0.6929\n}\n');
    expect(text(files, '.gitignore')).toBe('/data\n/model\n/model.weights.h5\n/model.pt\n');
    const readme = text(files, 'README.md');
    for (const command of ['git init && dvc init', 'dvc commit -f', 'dvc status', 'dvc repro', 'python train.py', 'python evaluate.py']) expect(readme).toContain(command);
    for (const file of ['`dvc.lock`', '`model.pt`', '`evaluation.json`', '`validate.py`, `validation.json`']) expect(readme).toContain(`| ${file} |`);
    expect(readme).toContain(project.versionId);

    expect(await exportDvcProject(project.store, project.versionId)).toEqual(project.zip);
  });

  it('stores images and weights uncompressed and deflates the text files (read by Python’s zipfile)', async () => {
    const project = await exportedTutorial();
    const zipPath = join(tempFolder(), 'project.zip');
    writeFileSync(zipPath, project.zip);
    const methods = python(
      'import json, sys, zipfile\nprint(json.dumps({i.filename: i.compress_type for i in zipfile.ZipFile(json.load(sys.stdin)).infolist()}))',
      zipPath,
    ) as Record<string, number>;
    for (const image of project.images) expect(methods[`data/${image.path}`], image.path).toBe(0);
    expect(methods['model/weights.bin']).toBe(0);
    expect(methods['model.pt']).toBe(0);
    for (const name of ['train.py', 'README.md', 'model/model.json', 'data.dvc']) expect(methods[name], name).toBe(8);
  });

  it('writes data.dvc and model.dvc that match an independent computation of DVC’s algorithm, byte for byte', async () => {
    const project = await exportedTutorial();
    const { folder, files } = extract(project.zip);
    // DVC's directory hash computed by Python from the extracted files (dvc-data's Tree: md5 per
    // file, the list sorted by relpath, json.dumps(sort_keys=True), md5 of that + ".dir"), and
    // the .dvc files as DVC's YAML library reads them.
    const script = `
import hashlib, json, os, sys
import ruamel.yaml
root = ${JSON.stringify(folder)}
def dir_out(name):
    base, entries, size = os.path.join(root, name), [], 0
    for dirpath, _, names in os.walk(base):
        for file in names:
            path = os.path.join(dirpath, file)
            with open(path, "rb") as f:
                data = f.read()
            entries.append({"md5": hashlib.md5(data).hexdigest(), "relpath": os.path.relpath(path, base).replace(os.sep, "/")})
            size += len(data)
    entries.sort(key=lambda entry: entry["relpath"])
    text = json.dumps(entries, sort_keys=True)
    return {"md5": hashlib.md5(text.encode("utf-8")).hexdigest() + ".dir", "size": size, "nfiles": len(entries)}
yaml = ruamel.yaml.YAML(typ="safe")
result = {}
for name in ("data", "model"):
    with open(os.path.join(root, name + ".dvc"), encoding="utf-8") as f:
        result[name] = {"computed": dir_out(name), "read": yaml.load(f)}
print(json.dumps(result))
`;
    const result = python(script) as Record<'data' | 'model', { computed: { md5: string; size: number; nfiles: number }; read: unknown }>;
    for (const name of ['data', 'model'] as const) {
      const { md5, size, nfiles } = result[name].computed;
      expect(text(files, `${name}.dvc`)).toBe(`outs:\n- md5: ${md5}\n  size: ${size}\n  nfiles: ${nfiles}\n  hash: md5\n  path: ${name}\n`);
      expect(result[name].read).toEqual({ outs: [{ md5, size, nfiles, hash: 'md5', path: name }] });
    }
    expect(result.data.computed).toEqual(project.dataset.dvc);
    expect(result.data.computed.nfiles).toBe(18);
    expect(result.model.computed.nfiles).toBe(3);
  });

  it('holds model.weights.h5 in Keras 3’s layout: h5py finds every layer’s weights equal to weights.bin’s, and its .dvc matches', async () => {
    const project = await exportedTutorial();
    const { folder, files } = extract(project.zip);
    const run = spawnSync(PYTHON, [join(REPO_ROOT, 'test', 'harness', 'check-keras-weights.py'), folder], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as { tree: Record<string, unknown>; worst: Record<string, number>; md5: string; size: number };
    expect(result.tree).toEqual({
      vars: 'group',
      layers: 'group',
      ...Object.fromEntries(['conv2d', 'max_pooling2d', 'conv2d_1', 'max_pooling2d_1', 'conv2d_2', 'max_pooling2d_2', 'flatten', 'dense', 'dropout', 'dense_1'].flatMap((layer) => [[`layers/${layer}`, 'group'], [`layers/${layer}/vars`, 'group']])),
      'layers/conv2d/vars/0': [3, 3, 3, 32],
      'layers/conv2d/vars/1': [32],
      'layers/conv2d_1/vars/0': [3, 3, 32, 64],
      'layers/conv2d_1/vars/1': [64],
      'layers/conv2d_2/vars/0': [3, 3, 64, 128],
      'layers/conv2d_2/vars/1': [128],
      'layers/dense/vars/0': [128, 128],
      'layers/dense/vars/1': [128],
      'layers/dense_1/vars/0': [128, 2],
      'layers/dense_1/vars/1': [2],
    });
    expect(Object.keys(result.worst)).toHaveLength(10);
    for (const [name, worst] of Object.entries(result.worst)) expect(worst, name).toBeLessThanOrEqual(1e-6);
    expect(text(files, 'model.weights.h5.dvc')).toBe(`outs:\n- md5: ${result.md5}\n  size: ${result.size}\n  hash: md5\n  path: model.weights.h5\n`);
  });

  it('pushes model.weights.h5 too, with the export’s bytes, so `dvc pull` finds what model.weights.h5.dvc names', async () => {
    const project = await exportedTutorial();
    const remote = new MemoryRemote('folder');
    await push(project.store, remote);
    const { files } = extract(project.zip);
    const md5 = /md5: ([0-9a-f]{32})\n/.exec(text(files, 'model.weights.h5.dvc'))![1]!;
    expect(remote.files.get(dvcCachePath(md5))).toEqual(files['model.weights.h5']);
  });

  it('writes params.yaml and dvc.yaml that PyYAML and ruamel.yaml read as intended', async () => {
    const project = await exportedTutorial();
    const { folder } = extract(project.zip);
    const script = `
import json, os, yaml, ruamel.yaml
def read(name):
    with open(os.path.join(${JSON.stringify(folder)}, name), encoding="utf-8") as f:
        text = f.read()
    return {"pyyaml": yaml.safe_load(text), "ruamel": ruamel.yaml.YAML(typ="safe").load(text)}
def leaves(mapping, prefix=""):
    for key, value in mapping.items():
        if isinstance(value, dict):
            yield from leaves(value, prefix + key + ".")
        else:
            yield prefix + key, type(value).__name__
params, dvc = read("params.yaml"), read("dvc.yaml")
print(json.dumps({"params": params, "types": dict(leaves(params["pyyaml"])), "dvc": dvc}))
`;
    const { params, types, dvc } = python(script) as { params: Record<string, unknown>; types: Record<string, string>; dvc: Record<string, unknown> };
    const train = {
      architecture: 'reference-convnet',
      image_size: 22,
      epochs: 1,
      batch_size: 4,
      learning_rate: 0.0005,
      seed: 7,
      holdout: 0.2,
      augment: { flip: false, shift: false },
    };
    expect(params).toEqual({ pyyaml: { train }, ruamel: { train } });
    expect(types).toEqual({
      'train.architecture': 'str',
      'train.image_size': 'int',
      'train.epochs': 'int',
      'train.batch_size': 'int',
      'train.learning_rate': 'float',
      'train.seed': 'int',
      'train.holdout': 'float',
      'train.augment.flip': 'bool',
      'train.augment.shift': 'bool',
    });
    const stage = {
      cmd: 'python train.py',
      deps: ['data', 'train.py'],
      params: Object.keys(types),
      outs: ['model.pt'],
      metrics: [{ 'metrics.json': { cache: false } }],
      plots: [{ 'metrics.csv': { cache: false, x: 'epoch' } }],
    };
    const stages = {
      validate: { cmd: 'python validate.py', deps: ['data', 'validate.py'], outs: [{ 'validation.json': { cache: false } }] },
      train: stage,
      evaluate: {
        cmd: 'python evaluate.py',
        deps: ['data', 'evaluate.py', 'model.pt', 'train.py'],
        params: ['train.holdout', 'train.seed'],
        metrics: [{ 'evaluation.json': { cache: false } }],
      },
    };
    expect(dvc).toEqual({ pyyaml: { stages }, ruamel: { stages } });
    expect(Object.keys((dvc as { ruamel: { stages: object } }).ruamel.stages)).toEqual(['validate', 'train', 'evaluate']);
  });

  it('writes floats that read back as floats in YAML 1.1 and 1.2', () => {
    const yaml = yamlMapping([
      { key: 'train.learning_rate', value: 1e-5, float: true },
      { key: 'train.holdout', value: 1, float: true },
      { key: 'train.name', value: 'yes: no' },
      { key: 'other', value: 3 },
    ]);
    expect(yaml).toBe("train:\n  learning_rate: 1.0e-05\n  holdout: 1.0\n  name: 'yes: no'\nother: 3\n");
    const read = python(
      `import json, sys, yaml, ruamel.yaml\ntext = json.load(sys.stdin)\nprint(json.dumps([[repr(v) for v in d["train"].values()] for d in (yaml.safe_load(text), ruamel.yaml.YAML(typ="safe").load(text))]))`,
      yaml,
    );
    expect(read).toEqual([
      ['1e-05', '1.0', "'yes: no'"],
      ['1e-05', '1.0', "'yes: no'"],
    ]);
  });
});

/**
 * Python reads dvc.lock with ruamel (DVC's YAML library), checks it against dvc/schema.py's
 * LOCKFILE_STAGES_SCHEMA (written out here: dvc is not installed) and compares each dep and
 * out with the folder as DVC's status does: md5 of a file, the .dir hash of a folder, params
 * against params.yaml, the stage against dvc.yaml.
 * Returns the schema problems, what each stage would list as changed, and the stage names.
 */
function lockStatus(folder: string): { problems: string[]; status: Record<string, string[]>; stages: string[] } {
  return python(`
import hashlib, json, os, re
import ruamel.yaml
root = ${JSON.stringify(folder)}
yaml = ruamel.yaml.YAML(typ="safe")
def load(name):
    with open(os.path.join(root, name), encoding="utf-8") as f:
        return yaml.load(f)
lock, pipeline, params = load("dvc.lock"), load("dvc.yaml"), load("params.yaml")
problems = []
def check(cond, what):
    if not cond:
        problems.append(what)
check(set(lock) == {"schema", "stages"} and lock["schema"] == "2.0", "top level: schema '2.0' and stages")
check(list(lock["stages"]) == list(pipeline["stages"]), "the stages of dvc.yaml, in its order")
ENTRY = {"path": str, "hash": str, "md5": str, "size": int, "nfiles": int}
def describe(path):
    full = os.path.join(root, path)
    if os.path.isdir(full):
        entries, size = [], 0
        for dirpath, _, names in os.walk(full):
            for name in names:
                with open(os.path.join(dirpath, name), "rb") as f:
                    data = f.read()
                entries.append({"md5": hashlib.md5(data).hexdigest(), "relpath": os.path.relpath(os.path.join(dirpath, name), full).replace(os.sep, "/")})
                size += len(data)
        entries.sort(key=lambda e: e["relpath"])
        return {"md5": hashlib.md5(json.dumps(entries, sort_keys=True).encode()).hexdigest() + ".dir", "size": size, "nfiles": len(entries)}
    if not os.path.exists(full):
        return None
    with open(full, "rb") as f:
        data = f.read()
    return {"md5": hashlib.md5(data).hexdigest(), "size": len(data)}
def flat(mapping, prefix=""):
    for key, value in mapping.items():
        if isinstance(value, dict):
            yield from flat(value, prefix + key + ".")
        else:
            yield prefix + key, value
status = {}
for name, stage in lock["stages"].items():
    check(set(stage) <= {"cmd", "deps", "params", "outs"} and isinstance(stage["cmd"], str), name + ": stage keys")
    defined = pipeline["stages"].get(name)
    check(defined is not None and defined["cmd"] == stage["cmd"], name + ": cmd as dvc.yaml's")
    changed = []
    for kind in ("deps", "outs"):
        paths = [entry["path"] for entry in stage[kind]]
        check(paths == sorted(paths), name + ": " + kind + " sorted by path")
        for entry in stage[kind]:
            check(set(entry) <= set(ENTRY) and all(isinstance(entry[k], ENTRY[k]) for k in entry), name + ": " + entry["path"] + " fields")
            check(entry.get("hash") == "md5" and re.fullmatch(r"[0-9a-f]{32}(\\.dir)?", entry["md5"]), name + ": " + entry["path"] + " md5")
            found = describe(entry["path"])
            if found != {k: entry[k] for k in ("md5", "size", "nfiles") if k in entry}:
                changed.append(entry["path"])
    declared_outs = sorted([o if isinstance(o, str) else next(iter(o)) for key in ("outs", "metrics", "plots") for o in defined.get(key, [])])
    check(declared_outs == [o["path"] for o in stage["outs"]], name + ": outs as dvc.yaml declares them")
    check(sorted(defined["deps"]) == [d["path"] for d in stage["deps"]], name + ": deps as dvc.yaml declares them")
    values = dict(flat(params))
    recorded = stage.get("params", {}).get("params.yaml", {})
    check(list(recorded) == sorted(recorded) and sorted(recorded) == sorted(defined.get("params", [])), name + ": params sorted, those dvc.yaml names")
    for key, value in recorded.items():
        if values.get(key) != value or type(values.get(key)) != type(value):
            changed.append("params.yaml:" + key)
    status[name] = changed
print(json.dumps({"problems": problems, "status": status, "stages": list(lock["stages"])}))
`) as { problems: string[]; status: Record<string, string[]>; stages: string[] };
}

describe('exportDvcProject: dvc.lock and model.pt', () => {
  it('writes dvc.lock in DVC 3\'s schema, every hash that of the exported file, so `dvc status` would find validate, train and evaluate up to date', async () => {
    const project = await exportedTutorial();
    const { folder, files } = extract(project.zip);
    const result = lockStatus(folder);
    expect(result.problems).toEqual([]);
    expect(result.stages).toEqual(['validate', 'train', 'evaluate']);
    expect(result.status, 'what `dvc status` would list as changed').toEqual({ validate: [], train: [], evaluate: [] });
    const lock = text(files, 'dvc.lock');
    expect(lock).toMatch(/^schema: '2\.0'\nstages:\n  validate:\n    cmd: python validate\.py\n    deps:\n    - path: data\n[\s\S]*    outs:\n    - path: validation\.json\n      hash: md5\n[\s\S]*\n  train:\n    cmd: python train\.py\n    deps:\n    - path: data\n      hash: md5\n      md5: [0-9a-f]{32}\.dir\n      size: \d+\n      nfiles: 18\n    - path: train\.py\n/);
    expect(lock).toContain(`      md5: ${project.dataset.dvc.md5}\n`);

    // Damage one output: the same check now names it, as `dvc status` would.
    writeFileSync(join(folder, 'metrics.json'), '{}\n');
    const after = lockStatus(folder);
    expect(after.status).toEqual({ validate: [], train: ['metrics.json'], evaluate: [] });
  });

  it('writes model.pt that torch.load reads into train.py\'s ReferenceConvnet, predicting as the browser\'s model', async () => {
    const project = await exportedTutorial();
    const { folder } = extract(project.zip);
    const script = `
import json, sys
import torch
sys.path.insert(0, ".")
import train
checkpoint = torch.load("model.pt")
model = train.ReferenceConvnet(checkpoint["image_size"], len(checkpoint["class_names"]))
model.load_state_dict(checkpoint["state_dict"])
model.eval()
x = torch.tensor(json.load(sys.stdin), dtype=torch.float32).permute(0, 3, 1, 2)
print(json.dumps({"class_names": checkpoint["class_names"], "image_size": checkpoint["image_size"], "keys": list(checkpoint["state_dict"]), "out": torch.softmax(model(x), 1).tolist()}))
`;
    const input = tf.randomUniform([3, 22, 22, 3], 0, 1, 'float32', 5);
    const loaded = python(script, await input.array(), { cwd: folder }) as { class_names: string[]; image_size: number; keys: string[]; out: number[][] };
    expect(loaded.class_names).toEqual(['cats', 'dogs']);
    expect(loaded.image_size).toBe(22);
    expect(loaded.keys).toEqual(['conv1.weight', 'conv1.bias', 'conv2.weight', 'conv2.bias', 'conv3.weight', 'conv3.bias', 'dense.weight', 'dense.bias', 'output.weight', 'output.bias']);
    const version = await project.store.getObject(project.versionId, 'version');
    const record = await project.store.getObject(version.model!, 'model');
    const browser = await loadSnapshot(record, new Uint8Array(await (await project.store.getBlob(record.weights)).arrayBuffer()));
    const tfjsOutput = (await (browser.predict(input) as tf.Tensor).array()) as number[][];
    tfjsOutput.flat().forEach((value, i) => expect(loaded.out.flat()[i]).toBeCloseTo(value, 5));
  });
});

describe('exportDvcProject: the validate and evaluate stages', () => {
  /** Runs an exported script where the project was unpacked; returns its stdout. */
  function runScript(folder: string, script: string): string {
    const run = spawnSync(PYTHON, [script], { cwd: folder, encoding: 'utf8', timeout: 540_000 });
    expect(run.status, `${script} failed:\n${run.stderr}`).toBe(0);
    return run.stdout;
  }

  it('validate.py and evaluate.py write validation.json and evaluation.json byte for byte as exported, so the lock’s md5s hold', async () => {
    const project = await exportedTutorial();
    const { folder, files } = extract(project.zip);
    rmSync(join(folder, 'validation.json'));
    rmSync(join(folder, 'evaluation.json'));
    expect(runScript(folder, 'validate.py')).toContain('18 images; 0 label conflicts, 0 leaks, 0 groups of duplicates, 0 undecodable');
    expect(runScript(folder, 'evaluate.py')).toContain('on 6 validation images');
    for (const name of ['validation.json', 'evaluation.json']) expect(readFileSync(join(folder, name), 'utf8'), name).toBe(text(files, name));
    expect(lockStatus(folder).status).toEqual({ validate: [], train: [], evaluate: [] });

    const validation = JSON.parse(text(files, 'validation.json')) as Record<string, unknown>;
    expect(validation).toEqual({ images: 18, counts: { train: { cats: 6, dogs: 6 }, validation: { cats: 3, dogs: 3 } }, conflicts: [], leakage: [], duplicates: [], undecodable: [] });
    const evaluation = JSON.parse(text(files, 'evaluation.json')) as { accuracy: number; classes: string[]; confusion: number[][] };
    const version = await project.store.getObject(project.versionId, 'version');
    expect(evaluation.classes).toEqual(['cats', 'dogs']);
    expect(evaluation.confusion).toEqual((version.run!['evaluation'] as { confusion: number[][] }).confusion);
    expect(evaluation.confusion.flat().reduce((a, b) => a + b, 0)).toBe(6);
    expect(evaluation.accuracy).toBe((evaluation.confusion[0]![0]! + evaluation.confusion[1]![1]!) / 6);
  });

  it('validate.py finds the duplicates, label conflicts, leakage and undecodable files the page finds', async () => {
    const store = await freshStore();
    const cats = classImages('train', 'cats', [200, 40, 40], 4);
    const dogs = classImages('train', 'dogs', [40, 40, 200], 4);
    const images: ImageSpec[] = [
      ...cats,
      { ...cats[0]!, path: 'train/cats/copy.png' },
      { ...cats[1]!, path: 'train/dogs/odd.png', label: 'dogs' },
      ...dogs,
      { path: 'train/dogs/broken.png', split: 'train', label: 'dogs', bytes: new TextEncoder().encode('not a picture') },
      ...classImages('validation', 'cats', [190, 50, 50], 2),
      ...classImages('validation', 'dogs', [50, 50, 190], 2),
      { ...dogs[0]!, path: 'validation/dogs/leak.png', split: 'validation' },
    ];
    await storeWorkspace(store, images);
    const { id } = await commitVersion(store, { message: 'Data with problems' });
    // The page's pixel cache of this data set: what the page could not decode.
    const version = await store.getObject(id, 'version');
    const dataset = await store.getObject(version.dataset, 'dataset');
    const size = 8;
    const decode: DecodeImage = async (blob) => {
      const png = PNG.sync.read(Buffer.from(await blob.arrayBuffer()));
      return { rgba: new Uint8ClampedArray(size * size * 4), width: png.width, height: png.height };
    };
    const cache = await buildPixelCache(version.dataset, dataset.entries.map((entry) => entry.sha256), (shas) => store.getBlobs(shas), size, decode);
    expect(cache.failures).toHaveLength(1);
    await store.updateDerived({ put: [[pixelCacheKey(version.dataset, size), cache]] });

    const { folder, files } = extract(await exportDvcProject(store, id));
    rmSync(join(folder, 'validation.json'));
    expect(runScript(folder, 'validate.py')).toContain('15 images; 1 label conflicts, 1 leaks, 1 groups of duplicates, 1 undecodable');
    expect(readFileSync(join(folder, 'validation.json'), 'utf8')).toBe(text(files, 'validation.json'));
    expect(JSON.parse(text(files, 'validation.json'))).toEqual({
      images: 15,
      counts: { train: { cats: 5, dogs: 5 }, validation: { cats: 2, dogs: 3 } },
      conflicts: [['train/cats/cats.1.png', 'train/dogs/odd.png']],
      leakage: [['train/dogs/dogs.0.png', 'validation/dogs/leak.png']],
      duplicates: [['train/cats/cats.0.png', 'train/cats/copy.png']],
      undecodable: ['train/dogs/broken.png'],
    });
  });
});

describe('exportDvcProject: a head on pretrained features gets features/, model.pt and dvc.lock', () => {
  /** A class with a non-ASCII name ("chats é"): classes.json must escape it as Python's json.dumps does. */
  const renamed = (images: Picture[]) => images.map((image) => ({ ...image, label: 'chats é', path: image.path.replace('/a/', '/chats é/') }));
  const IMAGES = [...renamed(pictures('train', 'a', 6)), ...pictures('train', 'b', 6), ...renamed(pictures('validation', 'a', 3)), ...pictures('validation', 'b', 3)];

  it('exports features/ byte for byte as features.py writes it, evaluation.json as evaluate.py writes it, and a lock whose every hash is the exported file’s', async () => {
    const { store, versionId } = await pretrainedVersion(IMAGES);
    const { folder, files } = extract(await exportDvcProject(store, versionId));
    const exported = Object.keys(files).filter((path) => path.startsWith('features/')).sort();
    expect(exported).toEqual(['features/classes.json', 'features/train.npy', 'features/train_labels.npy', 'features/validation.npy', 'features/validation_labels.npy']);
    expect(text(files, 'features/classes.json')).toBe('["b", "chats \\u00e9"]\n');
    expect(Object.keys(files)).toContain('model.pt');

    const before = lockStatus(folder);
    expect(before.problems).toEqual([]);
    expect(before.stages).toEqual(['validate', 'features', 'train', 'evaluate']);
    expect(before.status, 'what `dvc status` would list as changed').toEqual({ validate: [], features: [], train: [], evaluate: [] });

    // features.py, run where the export was unpacked, writes the same bytes (so the same md5 as the lock's).
    rmSync(join(folder, 'features'), { recursive: true });
    const run = spawnSync(PYTHON, ['features.py'], { cwd: folder, encoding: 'utf8', timeout: 540_000 });
    expect(run.status, run.stderr).toBe(0);
    for (const path of exported) expect(new Uint8Array(readFileSync(join(folder, path))), path).toEqual(files[path]);
    expect(lockStatus(folder).status).toEqual({ validate: [], features: [], train: [], evaluate: [] });
    // evaluate.py: the head's model.pt on features/validation.npy gives the page's confusion matrix.
    rmSync(join(folder, 'evaluation.json'));
    const evaluate = spawnSync(PYTHON, ['evaluate.py'], { cwd: folder, encoding: 'utf8', timeout: 540_000 });
    expect(evaluate.status, evaluate.stderr).toBe(0);
    expect(readFileSync(join(folder, 'evaluation.json'), 'utf8')).toBe(text(files, 'evaluation.json'));
    expect(JSON.parse(text(files, 'evaluation.json')).classes).toEqual(['b', 'chats é']);
    const lock = text(files, 'dvc.lock');
    expect(lock).toMatch(/\n  features:\n    cmd: python features\.py\n    deps:\n    - path: bottleneck\n[\s\S]*\n    params:\n      params\.yaml:\n        train\.holdout: 0\.2\n        train\.seed: 42\n    outs:\n    - path: features\n      hash: md5\n      md5: [0-9a-f]{32}\.dir\n      size: \d+\n      nfiles: 5\n  train:\n/);
  });

  it('writes model.pt that torch.load reads into train.py’s Head, predicting as the page’s head', async () => {
    const { store, versionId, data } = await pretrainedVersion(IMAGES);
    const { folder } = extract(await exportDvcProject(store, versionId));
    const script = `
import json, sys
import torch
sys.path.insert(0, ".")
import train
checkpoint = torch.load("model.pt")
state = checkpoint["state_dict"]
model = train.Head(state["dense.weight"].shape[1], len(checkpoint["class_names"]))
model.load_state_dict(state)
model.eval()
x = torch.tensor(json.load(sys.stdin), dtype=torch.float32)
print(json.dumps({"class_names": checkpoint["class_names"], "keys": list(checkpoint), "state": list(state), "out": torch.softmax(model(x), 1).tolist()}))
`;
    const input = tf.randomUniform([4, data.dims], 0, 2, 'float32', 9);
    const loaded = python(script, await input.array(), { cwd: folder }) as { class_names: string[]; keys: string[]; state: string[]; out: number[][] };
    expect(loaded.class_names).toEqual(['b', 'chats é']);
    expect(loaded.keys).toEqual(['state_dict', 'class_names']);
    expect(loaded.state).toEqual(['dense.weight', 'dense.bias', 'output.weight', 'output.bias']);
    const version = await store.getObject(versionId, 'version');
    const record = await store.getObject(version.model!, 'model');
    const head = await loadSnapshot(record, new Uint8Array(await (await store.getBlob(record.weights)).arrayBuffer()));
    const page = (await (head.predict(input) as tf.Tensor).array()) as number[][];
    expect(page[0]![0]).not.toBeCloseTo(page[0]![1]!, 3);
    page.flat().forEach((value, i) => expect(loaded.out.flat()[i]).toBeCloseTo(value, 5));
  });
});

describe('exportDvcProject: train.py', () => {
  it('has torch, PIL and numpy to run with (Debian: apt-get install python3-torch python3-pil)', () => {
    const probe = spawnSync(PYTHON, ['-c', 'import torch, PIL, numpy, yaml'], { encoding: 'utf8' });
    expect(probe.status, `${PYTHON} cannot import torch/PIL/numpy/yaml: apt-get install -y python3-torch python3-pil\n${probe.stderr}`).toBe(0);
  });

  it('trains the reference convnet on the exported data/ and writes metrics.csv and metrics.json as the app does', async () => {
    const project = await exportedTutorial();
    const { folder } = extract(project.zip);
    const run = spawnSync(PYTHON, ['train.py'], { cwd: folder, encoding: 'utf8', timeout: 540_000 });
    expect(run.status, `train.py failed (python3-torch and python3-pil installed?):\n${run.stderr}\n${String(run.error ?? '')}`).toBe(0);
    expect(run.stdout).toContain('2 classes, 12 training and 6 validation images at 22 px');

    const csv = readFileSync(join(folder, 'metrics.csv'), 'utf8');
    const [header, ...rows] = csv.split('\r\n').filter((line) => line !== '');
    expect(header).toBe('epoch,accuracy,loss,val_accuracy,val_loss');
    expect(rows).toHaveLength(1);
    const [epoch, accuracy, loss, valAccuracy, valLoss] = rows[0]!.split(',').map(Number) as [number, number, number, number, number];
    const row: HistoryRow = { epoch, accuracy, loss, val_accuracy: valAccuracy, val_loss: valLoss };
    expect(epoch).toBe(0);
    for (const value of [accuracy, valAccuracy]) expect(value >= 0 && value <= 1).toBe(true);
    for (const value of [loss, valLoss]) expect(value > 0 && Number.isFinite(value)).toBe(true);
    // Byte for byte the layout the browser's metrics.csv and metrics.json have.
    expect(csv).toBe(metricsCsv([row]));
    const { epoch: _epoch, ...final } = row;
    expect(readFileSync(join(folder, 'metrics.json'), 'utf8')).toBe(metricsJson(final));
    expect(existsSync(join(folder, 'model.pt'))).toBe(true);
  });

  it('trains with augmentation on (flip and shift), as params.yaml allows', async () => {
    const project = await exportedTutorial();
    const { folder } = extract(project.zip);
    const paramsPath = join(folder, 'params.yaml');
    const augmented = readFileSync(paramsPath, 'utf8').replace('flip: false', 'flip: true').replace('shift: false', 'shift: true');
    expect(augmented).toContain('    flip: true\n    shift: true\n');
    writeFileSync(paramsPath, augmented);
    const run = spawnSync(PYTHON, ['train.py'], { cwd: folder, encoding: 'utf8', timeout: 540_000 });
    expect(run.status, `train.py failed:\n${run.stderr}\n${String(run.error ?? '')}`).toBe(0);
    expect(readFileSync(join(folder, 'metrics.csv'), 'utf8').split('\r\n')).toHaveLength(3);
  });

  it('decodes images as the app: alpha over white, RGB, squashed (not cropped) to S×S', async () => {
    const project = await exportedTutorial();
    const { folder } = extract(project.zip);
    // 40×20, left half opaque red, right half blue at alpha 128: squashed, both halves stay.
    const wide = new PNG({ width: 40, height: 20 });
    for (let y = 0; y < 20; y++) for (let x = 0; x < 40; x++) wide.data.set(x < 20 ? [255, 0, 0, 255] : [0, 0, 255, 128], (y * 40 + x) * 4);
    const script = `
import base64, json, sys
sys.path.insert(0, ".")
import train
pixels = train.decode(base64.b64decode(json.load(sys.stdin)), 22)
print(json.dumps({"shape": list(pixels.shape), "dtype": str(pixels.dtype), "left": pixels[11, 2].tolist(), "right": pixels[11, 19].tolist()}))
`;
    const decoded = python(script, PNG.sync.write(wide).toString('base64'), { cwd: folder });
    // 128/255 of blue over white: 255 - 128 = 127 in red and green.
    expect(decoded).toEqual({ shape: [22, 22, 3], dtype: 'uint8', left: [255, 0, 0], right: [127, 127, 255] });
  });

  it('builds the same network as TensorFlow.js: the browser’s weights loaded into it predict the same', async () => {
    const project = await exportedTutorial();
    const { folder } = extract(project.zip);
    // The exported weights.bin, read by the manifest of model.json, into train.py's model
    // (kernels transposed from tfjs' [h, w, in, out] and [in, out] to torch's layout).
    const script = `
import json, sys
import numpy as np, torch
sys.path.insert(0, ".")
import train
with open("model/model.json", encoding="utf-8") as f:
    manifest = json.load(f)["weightsManifest"][0]
with open("model/" + manifest["paths"][0], "rb") as f:
    raw = f.read()
model = train.ReferenceConvnet(22, 2)
params = list(model.parameters())
assert len(params) == len(manifest["weights"])
offset = 0
for spec, param in zip(manifest["weights"], params):
    array = np.frombuffer(raw, dtype=np.float32, count=int(np.prod(spec["shape"])), offset=offset).reshape(spec["shape"])
    offset += array.nbytes
    array = array.transpose(3, 2, 0, 1) if array.ndim == 4 else array.T
    assert array.shape == tuple(param.shape), (spec["name"], array.shape, tuple(param.shape))
    param.data = torch.from_numpy(array.copy())
assert offset == len(raw)
model.eval()
x = torch.tensor(json.load(sys.stdin), dtype=torch.float32).permute(0, 3, 1, 2)
print(json.dumps(torch.softmax(model(x), 1).tolist()))
`;
    const input = tf.randomUniform([4, 22, 22, 3], 0, 1, 'float32', 3);
    const torchOutput = python(script, await input.array(), { cwd: folder }) as number[][];
    const version = await project.store.getObject(project.versionId);
    if (version.kind !== 'version' || version.model === null) throw new Error('expected a model');
    const record = (await project.store.getObject(version.model)) as ModelRecord;
    const browser = await loadSnapshot(record, new Uint8Array(await (await project.store.getBlob(record.weights)).arrayBuffer()));
    const tfjsOutput = (await (browser.predict(input) as tf.Tensor).array()) as number[][];
    expect(tfjsOutput[0]![0]).not.toBeCloseTo(tfjsOutput[0]![1]!, 3);
    tfjsOutput.flat().forEach((value, i) => expect(torchOutput.flat()[i]).toBeCloseTo(value, 5));
  });
});

describe('exportDvcProject: a data-only version without a validation folder', () => {
  /**
   * Train and loose files, a test folder and one image stored twice: what the hold-out must handle.
   * The train folder is "Train" (any case is the split) and one image is nested deeper; "Train"
   * and "train" side by side would be one folder on macOS and Windows, which the export refuses.
   */
  function looseImages(): ImageSpec[] {
    const inTrain = (images: ImageSpec[]) => images.map((image) => ({ ...image, path: image.path.replace(/^train\//, 'Train/') }));
    const cats = inTrain(classImages('train', 'cats', [200, 40, 40], 9));
    return [
      ...cats,
      { ...cats[0]!, path: 'Train/cats/copy-of-0.png' },
      ...classImages(null, 'cats', [180, 60, 40], 2, 20),
      ...inTrain(classImages('train', 'dogs', [40, 40, 200], 7)),
      { path: 'Train/dogs/nested/deep.png', split: 'train', label: 'dogs', bytes: pngOf([30, 30, 220], 77) },
      ...classImages('test', 'dogs', [40, 60, 200], 2, 30),
    ];
  }

  it('exports data, data.dvc and the default params, without model or metrics', async () => {
    const store = await freshStore();
    await storeWorkspace(store, looseImages());
    const { id } = await commitVersion(store, { message: 'Data only' });
    const { files } = extract(await exportDvcProject(store, id));
    expect(Object.keys(files).filter((path) => !path.startsWith('data/')).sort()).toEqual(
      ['.gitignore', 'README.md', 'data.dvc', 'dvc.yaml', 'evaluate.py', 'params.yaml', 'train.py', 'validate.py', 'validation.json'].sort(),
    );
    expect(text(files, '.gitignore')).toBe('/data\n/model.pt\n');
    // No model: no lock, so the README says to run the pipeline rather than that it is up to date.
    expect(text(files, 'README.md')).not.toContain('dvc.lock');
    expect(text(files, 'README.md')).toContain('dvc repro                   # caches data/, runs validate.py, train.py and evaluate.py');
    expect(text(files, 'params.yaml')).toContain(`  image_size: ${DEFAULT_PARAMS.imageSize}\n  epochs: ${DEFAULT_PARAMS.epochs}\n`);
  });

  it('train.py places files and holds out the same images as the app', async () => {
    const store = await freshStore();
    const { dataset } = await storeWorkspace(store, looseImages());
    const { id } = await commitVersion(store, { message: 'Data only' });
    const { folder } = extract(await exportDvcProject(store, id));
    const script = `
import json, sys
from pathlib import Path
sys.path.insert(0, ".")
import train
request = json.load(sys.stdin)
examples = [train.Example(e["path"], e["split"], e["label"], e["sha256"]) for e in request["entries"]]
print(json.dumps({
    "files": [relpath for relpath, _ in train.image_files(Path("data"))],
    "placements": [list(train.placement(e["path"])) for e in request["entries"]],
    "splits": [train.assign_splits(examples, seed, request["holdout"]) for seed in request["seeds"]],
}))
`;
    const seeds = [42, 7, 4_000_000_000];
    const holdout = 0.3;
    const result = python(script, { entries: dataset.entries, seeds, holdout }, { cwd: folder }) as {
      files: string[];
      placements: [string | null, string][];
      splits: [number[], number[]][];
    };
    expect(result.files).toEqual(dataset.entries.map((entry) => entry.path));
    expect(result.placements).toEqual(dataset.entries.map((entry) => [entry.split, entry.label]));
    const sha = (indices: number[]) => indices.map((i) => dataset.entries[i]!.sha256);
    seeds.forEach((seed, i) => {
      const app = assignSplits(dataset.entries, { seed, holdout });
      const [train, validation] = result.splits[i]!;
      expect(app.heldOut).toBe(true);
      expect(sha(validation), `seed ${seed}`).toEqual(app.validation.map((example) => example.sha256));
      expect(sha(train), `seed ${seed}`).toEqual(app.train.map((example) => example.sha256));
    });
  });
});

describe('exports of a data set whose class folders have any name', () => {
  // "Cats" and "cats" would be one folder on macOS and Windows: such a project is refused (below).
  const LABELS = ODD_LABELS.filter((label) => label !== 'cats');

  it('metadata.json, data/, data.dvc and train.py keep every class apart; the model files import back', async () => {
    const store = await freshStore();
    const images = LABELS.flatMap((label, i) => [
      ...classImages('train', label, [i * 20, 100, 200 - i * 15], 2, i * 10),
      ...classImages('validation', label, [i * 20, 110, 190 - i * 15], 1, i * 10),
    ]);
    const workspace = await storeWorkspace(store, images);
    const classNames = classNamesOf(workspace.dataset.entries);
    expect(classNames).toHaveLength(LABELS.length);
    const { versionId } = await commitModelVersion(store, workspace.id, classNames);

    const model = await exportModelFiles(store, versionId);
    expect(JSON.parse(model['metadata.json']).labels).toEqual(classNames);
    const imported = await importModel(store, model);
    expect(imported.classNames).toEqual(classNames);
    imported.model.dispose();

    const { folder, files } = extract(await exportDvcProject(store, versionId));
    for (const image of images) expect(files[`data/${image.path}`], image.path).toEqual(image.bytes);
    expect(JSON.parse(text(files, 'model/metadata.json')).labels).toEqual(classNames);
    const dvc = python(
      `import hashlib, json, os, sys
from pathlib import Path
sys.path.insert(0, ".")
import train
files = [(relpath, train.placement(relpath)) for relpath, _ in train.image_files(Path("data"))]
listing = json.dumps(sorted(({"md5": hashlib.md5(Path("data", r).read_bytes()).hexdigest(), "relpath": r} for r, _ in files), key=lambda e: e["relpath"]), sort_keys=True)
print(json.dumps({"classes": sorted({label for _, (_, label) in files}), "dir": hashlib.md5(listing.encode()).hexdigest() + ".dir"}))`,
      null,
      { cwd: folder },
    ) as { classes: string[]; dir: string };
    expect(dvc.classes, 'train.py’s class_names').toEqual(classNames);
    expect(dvc.dir, 'DVC’s directory hash of the exported data/').toBe(workspace.dataset.dvc.md5);
  });
});

describe('exportDvcProject: progress, cancel and damage', () => {
  it('reports the data files read and stops when cancelled', async () => {
    const project = await exportedTutorial();
    const reports: { done: number; total: number; bytes: number }[] = [];
    await exportDvcProject(project.store, project.versionId, { onProgress: (progress) => reports.push(progress) });
    const bytes = project.images.reduce((sum, image) => sum + image.bytes.byteLength, 0);
    expect(reports.at(-1)).toEqual({ done: 18, total: 18, bytes });

    const controller = new AbortController();
    const cancelled = exportDvcProject(project.store, project.versionId, { signal: controller.signal, onProgress: () => controller.abort() });
    await expect(cancelled).rejects.toMatchObject({ name: 'AbortError' });
  });

  it('refuses to export a file whose stored bytes no longer match its md5', async () => {
    const project = await exportedTutorial();
    const victim = project.dataset.entries[0]!;
    const damaged = new Uint8Array(victim.size).fill(7);
    await Store.databaseOf(project.store).put('blobData', damaged.buffer, victim.sha256);
    await expect(exportDvcProject(project.store, project.versionId)).rejects.toBeInstanceOf(CorruptObjectError);
  });

  it('refuses a version whose paths differ only in case or normalisation: nothing would survive unpacking on macOS or Windows', async () => {
    const store = await freshStore();
    const images = ['Cats', 'cats', 'dogs'].flatMap((label, i) => classImages('train', label, [i * 60, 100, 200], 2, i * 10));
    const workspace = await storeWorkspace(store, images);
    const { versionId } = await commitModelVersion(store, workspace.id, ['Cats', 'cats', 'dogs']);
    await expect(exportDvcProject(store, versionId)).rejects.toThrow(
      /^This version's data set has paths that differ only in case or Unicode normalisation: data\/train\/Cats and data\/train\/cats[;.].*no project was downloaded\. Rename or merge the classes in the Classes table, commit, and download that version\.$/,
    );
  });
});
