import { allRecords, findRecords, RECORD_STORES } from './blob-records';
import { hashMany, type ContentHashes } from '../hash/hash-bytes';
import { dvcDirInfo, sameDvcInfo } from '../objects/build-dataset';
import { objectId } from '../objects/object-id';
import { referencesOf } from '../objects/references-of';
import type { Dataset, PawprintObject } from '../objects/types';
import { validateObject } from '../objects/validate-object';
import { bodyOf } from './read-objects';
import { packDirectory } from './packs/directory';
import type { UnreachableSummary } from './clean-up-plan';
import type { BlobRecord, ObjectRecord, PawprintDB } from './schema';

export interface VerifyReport {
  ok: boolean;
  blobsChecked: number;
  objectsChecked: number;
  /** Bytes that no longer match their record. */
  corruptBlobs: { sha256: string; reason: string }[];
  /** Blob records whose bytes are gone (from blobData, or their pack file). */
  missingBlobData: string[];
  /** Objects that do not hash to their id or are malformed. */
  corruptObjects: { id: string; reason: string }[];
  /** Object → blob or object it references that is not stored. */
  missingReferences: { from: string; to: string }[];
  /** Refs pointing at objects that are not stored. */
  danglingRefs: { name: string; target: string }[];
  /**
   * Versions whose parent is no longer stored: the parent was deleted on
   * purpose (a parent is history, not ownership), so this is not a problem
   * and does not make `ok` false.
   */
  missingParents: { from: string; to: string }[];
  /**
   * What no version, workspace, stash or run reaches (interrupted or refused
   * work, dead pack bytes, stale caches): not damage, so not part of `ok`,
   * but a finding with what Clean up would free. Set by Store.verify.
   */
  unreachable?: UnreachableSummary;
}

export interface VerifyProgress {
  done: number;
  total: number;
}

export interface VerifyOptions {
  signal?: AbortSignal;
  onProgress?: (progress: VerifyProgress) => void;
}

/**
 * Checks the whole store, like `git fsck`: rehashes every blob, re-derives
 * every object's id (and a dataset's DVC hash), and follows every reference
 * and ref. Reports; never repairs. Blob bytes are read the way they lie:
 * each pack file front to back in reads of up to 16 MiB (the next read
 * running while this one is hashed), blobData a batch per transaction; small
 * blobs are hashed in one loop (hashMany). Nothing is locked, so other work
 * goes on meanwhile: a blob whose bytes could not be read is looked up again
 * at the end, and counts only if its record still names what was read (a
 * version deleted meanwhile is not damage).
 */
export async function verify(db: PawprintDB, options: VerifyOptions = {}): Promise<VerifyReport> {
  const { signal, onProgress } = options;
  const tx = db.transaction(['blobs', 'blobGroups', 'objects', 'refs']);
  const [blobRecords, objectIds, refs] = await Promise.all([
    allRecords(tx),
    tx.objectStore('objects').getAllKeys(),
    tx.objectStore('refs').getAll(),
  ]);
  const blobs = new Map(blobRecords.map((record) => [record.sha256, record]));
  const storedObjects = new Set(objectIds);
  const report: VerifyReport = {
    ok: false,
    blobsChecked: 0,
    objectsChecked: 0,
    corruptBlobs: [],
    missingBlobData: [],
    corruptObjects: [],
    missingReferences: [],
    danglingRefs: [],
    missingParents: [],
  };
  const total = blobRecords.length + objectIds.length;
  const progress = () => onProgress?.({ done: report.blobsChecked + report.objectsChecked, total });

  const unreadable: BlobRecord[] = [];
  const check = async (records: readonly BlobRecord[], bytes: readonly (Uint8Array | undefined)[]) => {
    const present = records.flatMap((record, i) => (bytes[i] === undefined ? [] : [{ record, bytes: bytes[i]! }]));
    const hashes = await hashMany(present.map((item) => item.bytes));
    present.forEach(({ record }, i) => {
      const reason = blobProblem(record, hashes[i]!);
      if (reason) report.corruptBlobs.push({ sha256: record.sha256, reason });
    });
    records.forEach((record, i) => bytes[i] === undefined && unreadable.push(record));
    report.blobsChecked += records.length;
    progress();
  };
  for await (const { records, bytes } of readInOrder(db, blobRecords, signal)) await check(records, bytes);

  // Read again what could not be read: its record may have gone (gc) or moved (Clean up) meanwhile.
  const now = await findRecords(db.transaction(RECORD_STORES), unreadable.map((record) => record.sha256));
  const again = unreadable.filter((record) => now.has(record.sha256));
  for (const record of unreadable) if (!now.has(record.sha256)) blobs.delete(record.sha256);
  report.blobsChecked -= again.length;
  const lost: BlobRecord[] = [];
  for await (const { records, bytes } of readInOrder(db, again.map((record) => now.get(record.sha256)!), signal)) {
    records.forEach((record, i) => bytes[i] === undefined && lost.push(record));
    await check(records, bytes);
  }
  report.missingBlobData.push(...lost.map((record) => record.sha256));

  for (const id of objectIds) {
    signal?.throwIfAborted();
    const record = await db.get('objects', id);
    if (record !== undefined) {
      const checked = await objectProblems(record, blobs);
      if (checked.problems.length > 0) report.corruptObjects.push({ id, reason: checked.problems.join('; ') });
      if (checked.body !== undefined) {
        const missing = missingTargets(checked.body, blobs, storedObjects);
        missing.strong.forEach((to) => report.missingReferences.push({ from: id, to }));
        missing.weak.forEach((to) => report.missingParents.push({ from: id, to }));
      }
    }
    report.objectsChecked++;
    progress();
  }

  for (const { name, target } of refs) {
    if (!storedObjects.has(target)) report.danglingRefs.push({ name, target });
  }
  report.ok =
    report.corruptBlobs.length + report.missingBlobData.length + report.corruptObjects.length + report.missingReferences.length + report.danglingRefs.length === 0;
  return report;
}

/** Bytes read at once: a pack's blobs in runs of up to this, blobData in batches of up to this (or 256 blobs). */
const READ = { bytes: 16 * 1024 * 1024, items: 256 };

interface ReadBatch {
  records: BlobRecord[];
  /** Each record's bytes; undefined where they could not be read (pack or blobData entry gone, or changed while read). */
  bytes: (Uint8Array | undefined)[];
}

/**
 * The blobs' bytes a batch at a time, in the order they lie: blobData in
 * batches, then each pack file front to back. The next batch is being read
 * while the caller hashes this one.
 */
async function* readInOrder(db: PawprintDB, records: readonly BlobRecord[], signal?: AbortSignal): AsyncGenerator<ReadBatch> {
  const reads: (() => Promise<ReadBatch>)[] = [];
  const inline = records.filter((record) => !record.pack);
  for (let start = 0; start < inline.length; ) {
    let end = start;
    let bytes = 0;
    while (end < inline.length && end - start < READ.items && (end === start || bytes + inline[end]!.size <= READ.bytes)) bytes += inline[end++]!.size;
    const batch = inline.slice(start, end);
    reads.push(() => readInline(db, batch));
    start = end;
  }
  const byPack = new Map<string, BlobRecord[]>();
  for (const record of records) if (record.pack) (byPack.get(record.pack.file) ?? byPack.set(record.pack.file, []).get(record.pack.file)!).push(record);
  for (const [file, packed] of byPack) {
    packed.sort((a, b) => a.pack!.offset - b.pack!.offset);
    const opened = openPack(db.name, file);
    opened.catch(() => undefined);
    for (let start = 0; start < packed.length; ) {
      const from = packed[start]!.pack!.offset;
      let end = start + 1;
      while (end < packed.length && packed[end]!.pack!.offset + packed[end]!.size - from <= READ.bytes) end++;
      const run = packed.slice(start, end);
      reads.push(() => readRun(opened, run));
      start = end;
    }
  }
  let next = reads[0]?.();
  for (let i = 0; i < reads.length; i++) {
    signal?.throwIfAborted();
    const current = await next!;
    next = reads[i + 1]?.();
    next?.catch(() => undefined);
    yield current;
  }
}

async function readInline(db: PawprintDB, records: BlobRecord[]): Promise<ReadBatch> {
  const store = db.transaction('blobData').store;
  const bytes = await Promise.all(records.map(async ({ sha256 }) => {
    const data = await store.get(sha256);
    return data === undefined ? undefined : new Uint8Array(data);
  }));
  return { records, bytes };
}

async function openPack(dbName: string, file: string): Promise<File | undefined> {
  try {
    return await (await (await packDirectory(dbName)).getFileHandle(file)).getFile();
  } catch (error) {
    if ((error as { name?: unknown }).name === 'NotFoundError') return undefined;
    throw error;
  }
}

/** A run of one pack's blobs, read at once; every blob undefined when the pack is gone or changed since it was opened. */
async function readRun(opened: Promise<File | undefined>, records: BlobRecord[]): Promise<ReadBatch> {
  const file = await opened;
  const from = records[0]!.pack!.offset;
  const to = records.reduce((end, record) => Math.max(end, record.pack!.offset + record.size), from);
  let chunk: Uint8Array | undefined;
  try {
    chunk = file && new Uint8Array(await file.slice(from, to).arrayBuffer());
  } catch (error) {
    if ((error as { name?: unknown }).name !== 'NotReadableError' && (error as { name?: unknown }).name !== 'NotFoundError') throw error;
  }
  return {
    records,
    bytes: records.map((record) => {
      const at = record.pack!.offset - from;
      // A short read (the file was cut) leaves the blob unread, to be looked up again.
      return chunk && at + record.size <= chunk.byteLength ? chunk.subarray(at, at + record.size) : undefined;
    }),
  };
}

function blobProblem(record: BlobRecord, actual: ContentHashes): string | undefined {
  const problems = [
    actual.size !== record.size && `size is ${actual.size} bytes, the record says ${record.size}`,
    actual.sha256 !== record.sha256 && `content hashes to sha256 ${actual.sha256}, not the ${record.sha256} it is stored under`,
    actual.md5 !== record.md5 && `content hashes to md5 ${actual.md5}, the record says ${record.md5}`,
  ];
  return problems.filter(Boolean).join('; ') || undefined;
}

/** What is wrong with one stored object; `body` is set when it decodes well enough to follow its references. */
async function objectProblems(
  record: ObjectRecord,
  blobs: Map<string, BlobRecord>,
): Promise<{ problems: string[]; body: PawprintObject | undefined }> {
  let body: PawprintObject;
  try {
    body = validateObject(bodyOf(record));
  } catch (error) {
    return { problems: [errorMessage(error)], body: undefined };
  }
  const problems: string[] = [];
  try {
    const actual = await objectId(body);
    if (actual !== record.id) problems.push(`content hashes to ${actual}`);
  } catch (error) {
    problems.push(errorMessage(error));
  }
  if (record.kind !== body.kind) problems.push(`stored as a ${record.kind} but is a ${body.kind}`);
  if (body.kind === 'dataset') problems.push(...(await datasetProblems(body, blobs)));
  return { problems, body };
}

/** A dataset's DVC block must follow from its entries, and each entry must agree with its stored file. */
async function datasetProblems({ entries, dvc }: Dataset, blobs: Map<string, BlobRecord>): Promise<string[]> {
  const expected = await dvcDirInfo(entries);
  const problems: string[] = [];
  if (!sameDvcInfo(expected, dvc)) {
    problems.push(`its DVC hash ${dvc.md5} (size ${dvc.size}, ${dvc.nfiles} files) does not match its files: ${expected.md5} (size ${expected.size}, ${expected.nfiles} files)`);
  }
  for (const entry of entries) {
    const blob = blobs.get(entry.sha256);
    if (blob && (blob.md5 !== entry.md5 || blob.size !== entry.size)) {
      problems.push(`"${entry.path}" lists md5 ${entry.md5} and ${entry.size} bytes, but its stored file has md5 ${blob.md5} and ${blob.size} bytes`);
    }
  }
  return problems;
}

function missingTargets(body: PawprintObject, blobs: Map<string, BlobRecord>, objects: Set<string>): { strong: string[]; weak: string[] } {
  const { blobs: blobRefs, objects: objectRefs, weakObjects } = referencesOf(body);
  return {
    strong: [...blobRefs.filter((sha) => !blobs.has(sha)), ...objectRefs.filter((id) => !objects.has(id))],
    weak: weakObjects.filter((id) => !objects.has(id)),
  };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
