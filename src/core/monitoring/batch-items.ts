import { ignoredReason } from '../dataset/ignore';
import { imageTypeBySignature } from '../dataset/sniff';
import { readZip } from '../dataset/zip';
import type { DroppedFile } from '../dataset/types';
import type { MonitoringError } from '../objects/types';

/** An image to predict: its path, its bytes and, when its folder is named after a class, that label. */
export interface BatchItem {
  name: string;
  bytes: Uint8Array;
  label: string | null;
}

/**
 * The images of a drop, in order: zips are opened (screened like an ingest's), files the
 * operating system adds are skipped, and a file that cannot be read, is not an image or is a
 * damaged zip becomes an error naming it. An image in a folder named after one of the model's
 * classes (`boots/1.png`, `data/validation/cats/2.jpg`) is labelled with it: a labelled batch.
 */
export async function batchItems(files: readonly DroppedFile[], classNames: readonly string[], signal?: AbortSignal): Promise<{ items: BatchItem[]; errors: MonitoringError[] }> {
  const classes = new Set(classNames);
  const items: BatchItem[] = [];
  const errors: MonitoringError[] = [];
  const add = (name: string, bytes: Uint8Array) => {
    if (ignoredReason(name) !== null) return;
    if (imageTypeBySignature(bytes.subarray(0, 64)) === null) {
      errors.push({ name, reason: 'not an image Pawprint reads (JPEG, PNG, WebP, GIF or BMP)' });
      return;
    }
    const folder = name.split('/').at(-2);
    items.push({ name, bytes, label: folder !== undefined && classes.has(folder) ? folder : null });
  };
  for (const { path, blob } of files) {
    signal?.throwIfAborted();
    if (ignoredReason(path) !== null) continue;
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await blob.arrayBuffer());
    } catch (error) {
      errors.push({ name: path, reason: `could not be read (${(error as Error).message})` });
      continue;
    }
    if (!/\.zip$/i.test(path)) {
      add(path, bytes);
      continue;
    }
    try {
      for (const entry of (await readZip(bytes, { signal })).files) add(`${path}/${entry.path}`, entry.bytes);
    } catch (error) {
      signal?.throwIfAborted();
      errors.push({ name: path, reason: `could not be opened as a zip (${(error as Error).message})` });
    }
  }
  return { items, errors };
}
