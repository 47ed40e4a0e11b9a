/**
 * DVC 3 compatibility: the directory (`.dir`) hash, `.dvc` file text and the
 * cache layout, byte for byte as DVC computes and writes them.
 */
import { utf8Bytes } from './bytes';
import { compareCodePoints, sortByCodePoints } from './compare-code-points';
import { md5Hex } from './md5';
import { yamlMappingValue } from './yaml-scalar';

export { compareCodePoints };

export interface DvcDirEntry {
  md5: string;
  /** Path relative to the tracked folder, "/"-separated. */
  relpath: string;
}

const SHORT_ESCAPES: Record<string, string> = {
  '"': '\\"',
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
  '\b': '\\b',
  '\f': '\\f',
};

/**
 * A JSON string literal exactly as Python's `json.dumps` writes it with the
 * default `ensure_ascii=True`: everything outside 0x20–0x7E is escaped as
 * `\uXXXX` (lowercase hex; DEL 0x7F too), astral characters as their UTF-16
 * surrogate pair. Escaping per UTF-16 code unit yields exactly that.
 */
export function pythonJsonString(s: string): string {
  return '"' + s.replace(/["\\\u0000-\u001f\u007f-\uffff]/g, escapeUnit) + '"';
}

function escapeUnit(unit: string): string {
  return SHORT_ESCAPES[unit] ?? '\\u' + unit.charCodeAt(0).toString(16).padStart(4, '0');
}

/**
 * The `.dir` object's text: dvc-data's `Tree.as_list()` (sorted by relpath,
 * i.e. by code point in Python) serialized with
 * `json.dumps(list, sort_keys=True)`.
 */
export function dvcDirText(entries: readonly DvcDirEntry[]): string {
  const sorted = sortByCodePoints([...entries], (entry) => entry.relpath);
  const items = sorted.map(
    ({ md5, relpath }) => `{"md5": ${pythonJsonString(md5)}, "relpath": ${pythonJsonString(relpath)}}`,
  );
  return `[${items.join(', ')}]`;
}

/** DVC's directory hash: md5 of the `.dir` text's UTF-8 bytes, plus ".dir". */
export async function dvcDirHash(entries: readonly DvcDirEntry[]): Promise<string> {
  return (await md5Hex(utf8Bytes(dvcDirText(entries)))) + '.dir';
}

export interface DvcOut {
  /** File md5, or directory hash ending in ".dir". */
  md5: string;
  size: number;
  /** Number of files; directories only (DVC omits it for a single file). */
  nfiles?: number;
  /** The tracked path, relative to the `.dvc` file. */
  path: string;
}

/**
 * The text `dvc add` writes to `<path>.dvc` for one output, final newline
 * included. String values go through the same quoting rules as DVC's YAML
 * writer (see yaml-scalar.ts), so unusual folder names match too.
 */
export function dvcFileText({ md5, size, nfiles, path }: DvcOut): string {
  const lines = [
    'outs:',
    `- md5:${yamlMappingValue(md5, { column: '- md5:'.length, indent: 4 })}`,
    `  size: ${size}`,
    ...(nfiles === undefined ? [] : [`  nfiles: ${nfiles}`]),
    '  hash: md5',
    `  path:${yamlMappingValue(path, { column: '  path:'.length, indent: 4 })}`,
  ];
  return lines.join('\n') + '\n';
}

const DVC_HASH = /^[0-9a-f]{32}(\.dir)?$/;

/** Where DVC 3 keeps an object in its cache or a local remote: `files/md5/ab/cdef….dir`. */
export function dvcCachePath(md5OrDirHash: string): string {
  if (!DVC_HASH.test(md5OrDirHash)) {
    throw new Error(`Not a DVC md5 hash: "${md5OrDirHash}" (expected 32 lowercase hex digits, optionally followed by ".dir").`);
  }
  return `files/md5/${md5OrDirHash.slice(0, 2)}/${md5OrDirHash.slice(2)}`;
}
