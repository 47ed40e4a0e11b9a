import type { ContentHashes } from '../hash/hash-bytes';
import type { DatasetEntry } from '../objects/types';
import type { Store } from '../store';
import { relabelPath } from './edit';
import { planIngest, type AcceptedFile, type IngestPlan } from './plan';
import type { IngestInput } from './screen-file';
import type { DroppedFile } from './types';
import { SNIFF_HEAD_BYTES } from './sniff';
import { collidingPlacements, effectiveLabel, ReviewProblemError, reviewProblems, type ReviewClass } from './review-problems';
import { readZip } from './zip';

/** What a drop would add, shown to the user before anything is stored. */
export interface IngestPreview {
  plan: IngestPlan;
  /** The bytes of each accepted file, by its original path (zip entries stay in memory: no Blob round trip). */
  blobs: Map<string, Blob | Uint8Array>;
}

/** The user's answers to the preview: labels for loose files and renamed classes. */
export interface LabelDecisions {
  /** The class of files dropped without a class folder. */
  looseLabel?: string;
  /** Inferred label → the label the user wants instead (labels are folder names: any text). */
  renames?: ReadonlyMap<string, string>;
}

export interface IngestProgress {
  done: number;
  total: number;
  bytes: number;
  totalBytes: number;
}

export interface StoredIngest {
  entries: DatasetEntry[];
  /** Image sizes by sha256, for the validation report. */
  sizes: Map<string, { width: number; height: number }>;
  /** The blobs this ingest stored (new to the store): taken back if its data set is not committed. */
  storedShas: string[];
  storedCount: number;
  skippedCount: number;
  bytesStored: number;
  bytesSkipped: number;
}

const ZIP_SIGNATURE = [0x50, 0x4b, 0x03, 0x04];

function isZip(file: DroppedFile, head: Uint8Array): boolean {
  return /\.zip$/i.test(file.path) || ZIP_SIGNATURE.every((byte, i) => head[i] === byte);
}

/**
 * Opens zips, sniffs every file's header and sorts the drop into accepted,
 * ignored and rejected. A bad zip is rejected whole, with its reason; the
 * rest of the drop goes on.
 */
export async function previewIngest(files: readonly DroppedFile[], options: { signal?: AbortSignal } = {}): Promise<IngestPreview> {
  const inputs: IngestInput[] = [];
  const blobs = new Map<string, Blob | Uint8Array>();
  const zipProblems: { path: string; reason: string }[] = [];
  const zipIgnored: { path: string; reason: string }[] = [];
  for (const file of files) {
    options.signal?.throwIfAborted();
    const head = new Uint8Array(await file.blob.slice(0, SNIFF_HEAD_BYTES).arrayBuffer());
    if (!isZip(file, head)) {
      inputs.push({ path: file.path, size: file.blob.size, head });
      blobs.set(file.path, file.blob);
      continue;
    }
    try {
      const zip = await readZip(new Uint8Array(await file.blob.arrayBuffer()), { signal: options.signal });
      zipIgnored.push(...zip.ignored);
      for (const entry of zip.files) {
        inputs.push({ path: entry.path, size: entry.bytes.length, head: entry.bytes.subarray(0, SNIFF_HEAD_BYTES) });
        blobs.set(entry.path, entry.bytes);
      }
    } catch (error) {
      if (options.signal?.aborted) throw error;
      zipProblems.push({ path: file.path, reason: (error as Error).message });
    }
  }
  const plan = planIngest(inputs, options);
  plan.ignored.unshift(...zipIgnored);
  plan.rejected.unshift(...zipProblems);
  const accepted = new Set(plan.accepted.map((file) => file.path));
  for (const path of [...blobs.keys()]) if (!accepted.has(path)) blobs.delete(path);
  return { plan, blobs };
}

/** Why the decisions cannot be applied to this plan (the first of reviewProblems), or null. */
export function decisionsProblem(plan: IngestPlan, decisions: LabelDecisions): string | null {
  return (
    reviewProblems(reviewClasses(plan), decisions)[0] ??
    collidingPlacements(plan.accepted.map((file) => ({ relpath: file.relpath, label: file.label, placed: placeAccepted(file, decisions) })))
  );
}

/** The plan's classes as the review lists them: each inferred label (null: loose files) with its file count. */
export function reviewClasses(plan: IngestPlan): ReviewClass[] {
  const totals = new Map<string | null, number>();
  for (const file of plan.accepted) totals.set(file.label, (totals.get(file.label) ?? 0) + 1);
  return [...totals].map(([label, total]) => ({ label, total }));
}

/** Where each accepted file goes once the user's labels are applied. */
export function placeAccepted(file: AcceptedFile, decisions: LabelDecisions): { relpath: string; label: string } {
  const label = effectiveLabel(file.label, decisions);
  return { relpath: label === file.label ? file.relpath : relabelPath(file.relpath, label), label };
}

/**
 * Hashes and stores the accepted files (each content once) and returns their
 * dataset entries. Nothing references the blobs yet: a cancel or a failure
 * here takes back what was stored (putBlobs).
 */
export async function storeIngest(
  store: Store,
  preview: IngestPreview,
  decisions: LabelDecisions,
  options: {
    signal?: AbortSignal;
    onProgress?: (progress: IngestProgress) => void;
    /** The entries, once every file is hashed and while the last ones are being written (PutBlobsOptions.onHashed). */
    onHashed?: (entries: DatasetEntry[]) => void;
  } = {},
): Promise<StoredIngest> {
  const problem = decisionsProblem(preview.plan, decisions);
  if (problem) throw new ReviewProblemError(problem);
  const accepted = preview.plan.accepted;
  const totalBytes = accepted.reduce((sum, file) => sum + file.size, 0);
  const blobs = accepted.map((file) => preview.blobs.get(file.path)!);
  const entriesOf = (hashes: readonly ContentHashes[]) =>
    accepted.map((file, index): DatasetEntry => {
      const { sha256, md5, size } = hashes[index]!;
      const { relpath, label } = placeAccepted(file, decisions);
      return { path: relpath, sha256, md5, size, split: file.split, label };
    });
  const { onHashed } = options;
  const result = await store.putBlobs(blobs, {
    signal: options.signal,
    onProgress: ({ done, bytes }) => options.onProgress?.({ done, total: accepted.length, bytes, totalBytes }),
    ...(onHashed ? { onHashed: (hashes: readonly ContentHashes[]) => onHashed(entriesOf(hashes)) } : {}),
  });
  const sizes = new Map(accepted.map((file, index) => [result.records[index]!.sha256, { width: file.width, height: file.height }]));
  return {
    entries: entriesOf(result.records),
    sizes,
    storedShas: result.stored,
    storedCount: result.storedCount,
    skippedCount: result.skippedCount,
    bytesStored: result.bytesStored,
    bytesSkipped: result.bytesSkipped,
  };
}
