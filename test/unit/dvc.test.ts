import { spawnSync } from 'node:child_process';
import { describe, expect, test } from 'vitest';
import {
  compareCodePoints,
  sortByCodePoints,
  dvcCachePath,
  dvcDirHash,
  dvcDirText,
  dvcFileText,
  md5Hex,
  pythonJsonString,
  utf8Bytes,
  type DvcDirEntry,
} from '../../src/core/hash';
import { PYTHON, python } from '../harness/python.mjs';


async function md5Entries(files: Record<string, string>): Promise<DvcDirEntry[]> {
  return Promise.all(Object.entries(files).map(async ([relpath, text]) => ({ relpath, md5: await md5Hex(utf8Bytes(text)) })));
}

describe('DVC directory hash: vectors from DVC tests', () => {
  test('foo/bar', async () => {
    const entries = await md5Entries({ foo: 'foo', bar: 'bar' });
    expect(dvcDirText(entries)).toBe(
      '[{"md5": "37b51d194a7513e45b56f6524f2d51f2", "relpath": "bar"}, {"md5": "acbd18db4cc2f85cedef654fccc4a4d8", "relpath": "foo"}]',
    );
    expect(await dvcDirHash(entries)).toBe('5ea40360f5b4ec688df672a4db9c17d1.dir');
  });

  test('bar/baz with newlines', async () => {
    expect(await dvcDirHash(await md5Entries({ baz: 'baz\n', bar: 'bar\n' }))).toBe('1f69c66028c35037e8bf67e5bc4ceb6a.dir');
  });

  test('empty directory', async () => {
    expect(dvcDirText([])).toBe('[]');
    expect(await dvcDirHash([])).toBe(`${await md5Hex(utf8Bytes('[]'))}.dir`);
  });
});

describe('DVC directory hash: non-ASCII names, cross-checked with Python', () => {
  // DVC's algorithm (dvc-data Tree.as_list + as_bytes), run by Python itself.
  const DVC_DIR_HASH = `
import json, hashlib, sys
entries = json.load(sys.stdin)
listing = sorted(({"md5": e["md5"], "relpath": e["relpath"]} for e in entries), key=lambda d: d["relpath"])
text = json.dumps(listing, sort_keys=True)
print(json.dumps({"text": text, "hash": hashlib.md5(text.encode("utf-8")).hexdigest() + ".dir"}))
`;
  const names = [
    'café/ü.png',
    '日本/猫.jpg',
    'emoji/😀.png', // U+1F600: surrogates D83D DE00 in UTF-16
    'emoji/\uFF01.png', // U+FF01: sorts before U+1F600 by code point, after it by code unit
    'emoji/\uE000.png',
    'emoji/𝄞 clef.png',
    'quote"back\\slash/tab\tnew\nline.txt',
    'del\u007f.bin',
    'nbsp\u00a0and\u2028sep.txt',
    'train/cats/cat.1.jpg',
    'train/Cats/cat.2.jpg',
    'z',
  ];

  test('the names really sort differently by code unit and by code point', () => {
    const byCodeUnit = [...names].sort();
    const byCodePoint = [...names].sort(compareCodePoints);
    expect(byCodePoint).not.toEqual(byCodeUnit);
    expect(byCodePoint.indexOf('emoji/\uFF01.png')).toBeLessThan(byCodePoint.indexOf('emoji/😀.png'));
  });

  test('text and hash match Python byte for byte', async () => {
    const entries = await md5Entries(Object.fromEntries(names.map((name, i) => [name, `content ${i}`])));
    const expected = python(DVC_DIR_HASH, entries) as { text: string; hash: string };
    expect(dvcDirText(entries)).toBe(expected.text);
    expect(await dvcDirHash(entries)).toBe(expected.hash);
  });
});

describe('pythonJsonString', () => {
  test('matches json.dumps for every BMP code unit and astral characters', () => {
    let everyUnit = '';
    for (let unit = 0; unit <= 0xffff; unit++) {
      if (unit < 0xd800 || unit > 0xdfff) everyUnit += String.fromCharCode(unit);
    }
    const samples = [everyUnit, '😀𝄞🐈', 'lone \ud800 surrogate', 'plain ascii ~!@#', ''];
    const expected = python('import json, sys\nprint(json.dumps([json.dumps(s) for s in json.load(sys.stdin)]))', samples);
    expect(samples.map(pythonJsonString)).toEqual(expected);
  });

  test('escapes as Python does', () => {
    expect(pythonJsonString('a"b\\c\n\r\t\b\f\u0001')).toBe('"a\\"b\\\\c\\n\\r\\t\\b\\f\\u0001"');
    expect(pythonJsonString('é😀')).toBe('"\\u00e9\\ud83d\\ude00"');
    // Python escapes DEL too: ensure_ascii keeps only 0x20–0x7E literal.
    expect(pythonJsonString('\u007f')).toBe('"\\u007f"');
  });
});

describe('compareCodePoints', () => {
  test('orders by code point, not UTF-16 code unit', () => {
    expect(compareCodePoints('\u{1F600}', '\uFF01')).toBeGreaterThan(0);
    expect(compareCodePoints('\uFF01', '\u{1F600}')).toBeLessThan(0);
    expect(compareCodePoints('a', 'b')).toBeLessThan(0);
    expect(compareCodePoints('ab', 'a')).toBeGreaterThan(0);
    expect(compareCodePoints('same', 'same')).toBe(0);
    expect(compareCodePoints('\u{1F600}', '\u{1F601}')).toBeLessThan(0);
    expect(compareCodePoints('\uD7FF', '\u{10000}')).toBeLessThan(0);
  });

  test('sortByCodePoints sorts as compareCodePoints does, with and without characters from U+D800 up', () => {
    const plain = ['train/cats/b.jpg', 'train/Cats/a.jpg', 'café/ü.png', '日本/猫.jpg', 'train/cats/a.jpg', 'a', 'train'];
    for (const paths of [plain, [...plain, 'emoji/😀.png', 'emoji/\uFF01.png', 'emoji/\uE000.png']]) {
      const items = paths.map((path) => ({ path }));
      expect(sortByCodePoints(items, (item) => item.path).map((item) => item.path)).toEqual([...paths].sort(compareCodePoints));
    }
  });
});

describe('dvcFileText', () => {
  test('the tutorial data.dvc, byte for byte', () => {
    expect(dvcFileText({ md5: '5ea40360f5b4ec688df672a4db9c17d1.dir', size: 6, nfiles: 2, path: 'data' })).toBe(
      'outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n  path: data\n',
    );
  });

  test('a single file has no nfiles; an all-digit md5 is quoted', () => {
    expect(dvcFileText({ md5: 'd41d8cd98f00b204e9800998ecf8427e', size: 0, path: 'model.h5' })).toBe(
      'outs:\n- md5: d41d8cd98f00b204e9800998ecf8427e\n  size: 0\n  hash: md5\n  path: model.h5\n',
    );
    expect(dvcFileText({ md5: '12345678901234567890123456789012', size: 0, path: 'x' })).toBe(
      "outs:\n- md5: '12345678901234567890123456789012'\n  size: 0\n  hash: md5\n  path: x\n",
    );
  });

  // Expected text produced by ruamel.yaml 0.17.21 configured as DVC does (YAML(), default_flow_style=False).
  const pets = 'cats and dogs '.repeat(8);
  const quotedPaths: [string, string][] = [
    ['café', ' café\n'],
    ['日本', ' 日本\n'],
    ['😀 photos', ' 😀 photos\n'],
    ['my data', ' my data\n'],
    ['a: b', " 'a: b'\n"],
    ['- x', " '- x'\n"],
    ['-x', ' -x\n'],
    ['123', " '123'\n"],
    ['1.5', " '1.5'\n"],
    ['0x1f', " '0x1f'\n"],
    ['2020-01-01', " '2020-01-01'\n"],
    ['null', " 'null'\n"],
    ['true', " 'true'\n"],
    ['yes', ' yes\n'], // YAML 1.2: not a bool
    ['', " ''\n"],
    ['#a', " '#a'\n"],
    ['a #b', " 'a #b'\n"],
    ['a#b', ' a#b\n'],
    ['@x', " '@x'\n"],
    [' lead', " ' lead'\n"],
    ['trail ', " 'trail '\n"],
    ["it's", " it's\n"],
    ["it's: x", ' "it\'s: x"\n'],
    ['tab\tx', ' "tab\\tx"\n'],
    ['\u007f', ' "\\x7F"\n'],
    [pets.trim(), ' cats and dogs cats and dogs cats and dogs cats and dogs cats and dogs cats\n    and dogs cats and dogs cats and dogs\n'],
    [pets, " 'cats and dogs cats and dogs cats and dogs cats and dogs cats and dogs cats\n    and dogs cats and dogs cats and dogs '\n"],
    [
      `x: ${'cats and dogs '.repeat(7)}end`,
      " 'x: cats and dogs cats and dogs cats and dogs cats and dogs cats and dogs\n    cats and dogs cats and dogs end'\n",
    ],
    [
      `tab\t${'cats and dogs '.repeat(7)}end`,
      ' "tab\\tcats and dogs cats and dogs cats and dogs cats and dogs cats and dogs\\\n    \\ cats and dogs cats and dogs end"\n',
    ],
  ];

  test.each(quotedPaths)('path %j is written as DVC writes it', (path, expectedValue) => {
    const text = dvcFileText({ md5: '5ea40360f5b4ec688df672a4db9c17d1.dir', size: 6, nfiles: 2, path });
    expect(text).toBe(`outs:\n- md5: 5ea40360f5b4ec688df672a4db9c17d1.dir\n  size: 6\n  nfiles: 2\n  hash: md5\n  path:${expectedValue}`);
  });

  // Wider cross-check against ruamel.yaml, DVC's YAML library (Debian's
  // python3-ruamel.yaml, which npm test installs): a missing library fails here.
  test('random paths match ruamel.yaml', () => {
    const probe = spawnSync(PYTHON, ['-c', 'import ruamel.yaml']);
    expect(probe.status, 'needs /usr/bin/python3 with ruamel.yaml: apt-get install python3-ruamel.yaml').toBe(0);
    const pieces = ['a', 'Z', '0', '7', ' ', ' ', ':', '#', "'", '"', '-', '?', '.', ',', '[', '&', '!', '|', '%', '@', '\\', '\t', 'é', '日', '😀', '\u007f', '\u00a0', 'e', '+', '~', 'true', 'null', '1.5', '2020-01-01', 'cats and dogs'];
    let seed = 42;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    const paths = Array.from({ length: 3000 }, (_, i) => Array.from({ length: random(i % 10 === 0 ? 60 : 8) }, () => pieces[random(pieces.length)]).join(''));
    const script = `
import io, json, sys
from ruamel.yaml import YAML
yaml = YAML()
yaml.default_flow_style = False
out = []
for path in json.load(sys.stdin):
    stream = io.StringIO()
    yaml.dump({"outs": [{"md5": "5ea40360f5b4ec688df672a4db9c17d1.dir", "size": 6, "nfiles": 2, "hash": "md5", "path": path}]}, stream)
    out.append(stream.getvalue())
print(json.dumps(out))
`;
    const expected = python(script, paths) as string[];
    const mismatches = paths.filter((path, i) => dvcFileText({ md5: '5ea40360f5b4ec688df672a4db9c17d1.dir', size: 6, nfiles: 2, path }) !== expected[i]);
    expect(mismatches).toEqual([]);
  });
});

describe('dvcCachePath', () => {
  test('splits the hash after two hex digits and keeps .dir', () => {
    expect(dvcCachePath('acbd18db4cc2f85cedef654fccc4a4d8')).toBe('files/md5/ac/bd18db4cc2f85cedef654fccc4a4d8');
    expect(dvcCachePath('5ea40360f5b4ec688df672a4db9c17d1.dir')).toBe('files/md5/5e/a40360f5b4ec688df672a4db9c17d1.dir');
  });

  test('rejects anything that is not an md5', () => {
    expect(() => dvcCachePath('../etc/passwd')).toThrow(/Not a DVC md5 hash/);
    expect(() => dvcCachePath('ACBD18DB4CC2F85CEDEF654FCCC4A4D8')).toThrow();
  });
});
