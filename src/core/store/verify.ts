import { allRecords } from './blob-records';
import { hashBytes } from '../hash/hash-bytes';
import { dvcDirInfo, sameDvcInfo } from '../objects/build-dataset';
import { objectId } from '../objects/object-id';
import { referencesOf } from '../objects/references-of';
import type { Dataset, PawprintObject } from '../objects/types';
import { validateObject } from '../objects/validate-object';
import { bodyOf } from './read-objects';
import { storedBlobs } from './stored-blobs';
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
 * and ref. Reports; never repairs. Blobs are read a batch at a time (each
 * pack file opened once per batch: opening it per blob cost a round trip to
 * the browser each, minutes for the tutorial's 2 800 files on a loaded
 * machine), in short transactions, so the store stays usable while it runs.
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

  for (const batch of batches(blobRecords)) {
    signal?.throwIfAborted();
    const stored = await storedBlobs(db, batch);
    for (const [i, record] of batch.entries()) {
      signal?.throwIfAborted();
      const bytes = await bytesOf(db, record, stored[i]);
      if (bytes === undefined) report.missingBlobData.push(record.sha256);
      else {
        const reason = await blobProblem(record, bytes);
        if (reason) report.corruptBlobs.push({ sha256: record.sha256, reason });
      }
      report.blobsChecked++;
      progress();
    }
  }

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

/** Blobs read together: bounded in count and bytes, as their bytes are held until hashed. */
const BATCH = { items: 256, bytes: 32 * 1024 * 1024 };

function* batches(records: readonly BlobRecord[]): Generator<BlobRecord[]> {
  let batch: BlobRecord[] = [];
  let bytes = 0;
  for (const record of records) {
    if (batch.length > 0 && (batch.length >= BATCH.items || bytes + record.size > BATCH.bytes)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(record);
    bytes += record.size;
  }
  if (batch.length > 0) yield batch;
}

/** A blob's bytes, read again once on its own if its pack grew while being read (an ingest in another tab). */
async function bytesOf(db: PawprintDB, record: BlobRecord, blob: Blob | undefined): Promise<ArrayBuffer | undefined> {
  try {
    return await blob?.arrayBuffer();
  } catch (error) {
    if ((error as { name?: unknown }).name !== 'NotReadableError') throw error;
    const [again] = await storedBlobs(db, [record]);
    return again?.arrayBuffer();
  }
}

async function blobProblem(record: BlobRecord, bytes: ArrayBuffer): Promise<string | undefined> {
  const actual = await hashBytes(bytes);
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
