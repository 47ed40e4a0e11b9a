import { describe, expect, test } from 'vitest';
import { dvcDirHash, hashBytes, sha256Hex, utf8Bytes } from '../../src/core/hash';
import {
  buildDataset,
  canonicalJson,
  objectId,
  referencesOf,
  validateObject,
  type DatasetEntry,
  type ModelRecord,
  type Version,
} from '../../src/core/objects';
import { InvalidObjectError, SchemaError } from '../../src/core/store';

async function entry(path: string, content: string, label = 'cats'): Promise<DatasetEntry> {
  const { sha256, md5, size } = await hashBytes(utf8Bytes(content));
  return { path, sha256, md5, size, split: 'train', label };
}

const SHA_A = 'a'.repeat(64);
const SHA_B = 'b'.repeat(64);

const model: ModelRecord = {
  kind: 'model',
  schema: 1,
  architecture: 'reference-convnet',
  inputShape: [64, 64, 3],
  classNames: ['cats', 'dogs'],
  modelTopology: { class_name: 'Sequential' },
  weightSpecs: [{ name: 'dense/kernel', shape: [2, 2], dtype: 'float32' }],
  weights: SHA_A,
  weightsSize: 16,
};

const version: Version = {
  kind: 'version',
  schema: 1,
  parent: SHA_A,
  dataset: SHA_B,
  model: null,
  params: { epochs: 10, lr: 0.001, augment: { flip: true } },
  metrics: { accuracy: 0.9 },
  history: [{ epoch: 0, loss: 0.7 }],
  message: 'First model, trained with 1000 images',
  createdAt: '2024-05-01T12:00:00.000Z',
  run: null,
};

describe('canonicalJson', () => {
  test('sorts keys recursively by code point, no whitespace', () => {
    expect(canonicalJson({ b: 1, a: [{ z: null, y: 'x' }], c: { e: true, d: -0.5 } })).toBe(
      '{"a":[{"y":"x","z":null}],"b":1,"c":{"d":-0.5,"e":true}}',
    );
    // By code point U+FF01 comes before U+1F600; by UTF-16 code unit it would not.
    expect(canonicalJson({ '\u{1F600}': 1, '\uFF01': 2, B: 3, a: 4 })).toBe('{"B":3,"a":4,"\uFF01":2,"\u{1F600}":1}');
  });

  test('integer-like keys sort as text, and each object keeps exactly its own keys', () => {
    // Engines list integer-like keys first and in numeric order; canonical order is by code point.
    expect(canonicalJson({ '9': 1, '10': 2, a: { '10': 3, z: [{ y: 1 }, { x: 2, '9': 0 }] } })).toBe(
      '{"10":2,"9":1,"a":{"10":3,"z":[{"y":1},{"9":0,"x":2}]}}',
    );
  });

  test('key order of the input does not matter', () => {
    expect(canonicalJson({ x: 1, y: { q: 1, p: 2 } })).toBe(canonicalJson({ y: { p: 2, q: 1 }, x: 1 }));
  });

  test.each([
    ['NaN', { a: Number.NaN }, /NaN at \$\.a/],
    ['Infinity', { a: [1, Number.POSITIVE_INFINITY] }, /Infinity at \$\.a\[1\]/],
    ['undefined', { a: undefined }, /undefined at \$\.a.*null/],
    ['a function', { f: () => 1 }, /function at \$\.f/],
    ['a bigint', { n: 1n }, /bigint/],
    ['a Date', { d: new Date(0) }, /Date object at \$\.d/],
    ['an array hole', { a: [1, , 3] }, /undefined at \$\.a\[1\]/],
  ])('rejects %s', (_, value, message) => {
    expect(() => canonicalJson(value)).toThrow(message);
  });

  test('rejects cycles but accepts shared subtrees', () => {
    const shared = { k: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"k":1},"b":{"k":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic['self'] = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/circular/);
  });
});

describe('objectId', () => {
  test('is the sha256 of the canonical JSON and ignores key order', async () => {
    expect(await objectId(model)).toBe(await sha256Hex(utf8Bytes(canonicalJson(model))));
    const reordered = Object.fromEntries(Object.entries(model).reverse()) as ModelRecord;
    expect(await objectId(reordered)).toBe(await objectId(model));
    expect(await objectId({ ...model, weightsSize: 17 })).not.toBe(await objectId(model));
  });
});

describe('buildDataset', () => {
  test('sorts entries by code point and computes the DVC block', async () => {
    const entries = [await entry('train/😀.jpg', 'e'), await entry('train/\uFF01.jpg', 'f'), await entry('foo', 'foo'), await entry('bar', 'bar')];
    const dataset = await buildDataset('data', entries);
    expect(dataset.entries.map((e) => e.path)).toEqual(['bar', 'foo', 'train/\uFF01.jpg', 'train/😀.jpg']);
    expect(dataset.dvc).toEqual({
      md5: await dvcDirHash(entries.map((e) => ({ md5: e.md5, relpath: e.path }))),
      size: 6 + 2,
      nfiles: 4,
    });
  });

  test('reproduces the DVC test vector', async () => {
    const dataset = await buildDataset('data', [await entry('foo', 'foo'), await entry('bar', 'bar')]);
    expect(dataset.dvc).toEqual({ md5: '5ea40360f5b4ec688df672a4db9c17d1.dir', size: 6, nfiles: 2 });
    expect(dataset).toMatchObject({ kind: 'dataset', schema: 1, root: 'data' });
  });

  test('drops stray fields so they cannot change the id', async () => {
    const plain = await entry('a.jpg', 'a');
    const withExtra = { ...plain, preview: 'data:...' } as DatasetEntry;
    expect(await objectId(await buildDataset('data', [withExtra]))).toBe(await objectId(await buildDataset('data', [plain])));
  });

  test('rejects duplicate paths and bad paths', async () => {
    const a = await entry('train/cats/a.jpg', 'a');
    await expect(buildDataset('data', [a, { ...a, label: 'dogs' }])).rejects.toThrow(/lists the file "train\/cats\/a.jpg" twice/);
    await expect(buildDataset('data', [{ ...a, path: '../a.jpg' }])).rejects.toThrow(InvalidObjectError);
    await expect(buildDataset('data', [{ ...a, path: '/a.jpg' }])).rejects.toThrow(InvalidObjectError);
    await expect(buildDataset('da/ta', [a])).rejects.toThrow(/single folder name/);
    await expect(buildDataset('data', [{ ...a, sha256: 'nope' }])).rejects.toThrow(/sha256 is not a valid hash/);
  });
});

describe('referencesOf', () => {
  test('dataset → its distinct blobs', async () => {
    const a = await entry('a.jpg', 'same bytes');
    const b = await entry('b.jpg', 'same bytes');
    const c = await entry('c.jpg', 'other');
    expect(referencesOf(await buildDataset('data', [a, b, c]))).toEqual({ blobs: [a.sha256, c.sha256], objects: [], weakObjects: [] });
  });

  test('model → weights blob; version → dataset and model, its parent only weakly', () => {
    expect(referencesOf(model)).toEqual({ blobs: [SHA_A], objects: [], weakObjects: [] });
    expect(referencesOf(version)).toEqual({ blobs: [], objects: [SHA_B], weakObjects: [SHA_A] });
    expect(referencesOf({ ...version, parent: null, model: SHA_A })).toEqual({ blobs: [], objects: [SHA_B, SHA_A], weakObjects: [] });
  });
});

describe('validateObject', () => {
  test('accepts well-formed objects of each kind', async () => {
    const dataset = await buildDataset('data', [await entry('a.jpg', 'a')]);
    for (const obj of [dataset, model, version]) expect(validateObject(JSON.parse(JSON.stringify(obj)))).toEqual(obj);
  });

  test('an unknown schema is a SchemaError telling the user to update', () => {
    const future = { ...version, schema: 2 };
    expect(() => validateObject(future)).toThrow(SchemaError);
    expect(() => validateObject(future)).toThrow(/format 2.*Update Pawprint/);
  });

  test.each([
    ['not an object', 'hello', /must be an object/],
    ['unknown kind', { kind: 'tree', schema: 1 }, /unknown kind "tree"/],
    ['bad metric', { ...version, metrics: { accuracy: 'high' } }, /version\.metrics\.accuracy must be a finite number/],
    ['bad date', { ...version, createdAt: 'yesterday' }, /createdAt must be an ISO date/],
    ['bad parent', { ...version, parent: 'HEAD' }, /version\.parent is not a valid hash/],
    ['bad weights', { ...model, weights: 42 }, /model\.weights is not a valid hash/],
  ])('rejects %s', (_, value, message) => {
    expect(() => validateObject(value)).toThrow(InvalidObjectError);
    expect(() => validateObject(value)).toThrow(message);
  });

  test('rejects an unsorted dataset', async () => {
    const dataset = await buildDataset('data', [await entry('a', 'a'), await entry('b', 'b')]);
    expect(() => validateObject({ ...dataset, entries: [...dataset.entries].reverse() })).toThrow(/sorted by path/);
  });
});
