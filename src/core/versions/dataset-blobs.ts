import type { DatasetEntry } from '../objects/types';
import type { Store } from '../store';
import { derivePerDataset, type DatasetDerivation } from './dataset-derived';

const SHA256_HEX = 64;

/**
 * The blobs a data set's files use, compactly: sha256s concatenated into one
 * string and sizes in a typed array. Cached per data set, this is what
 * storage accounting reads instead of whole manifests (a string and a typed
 * array are far cheaper for IndexedDB to copy than thousands of entries).
 */
export interface DatasetBlobs {
  shas: string;
  sizes: Float64Array;
}

/** Blob → size for a data set's files, each blob once. */
export function blobSizesOf(entries: readonly DatasetEntry[]): Map<string, number> {
  return new Map(entries.map((entry) => [entry.sha256, entry.size]));
}

const DATASET_BLOBS: DatasetDerivation<DatasetBlobs> = {
  name: 'blobs',
  compute: ({ entries }) => {
    const blobs = blobSizesOf(entries);
    return { shas: [...blobs.keys()].join(''), sizes: Float64Array.from(blobs.values()) };
  },
  isValid: (value): value is DatasetBlobs => {
    const { shas, sizes } = (value ?? {}) as Partial<DatasetBlobs>;
    return typeof shas === 'string' && sizes instanceof Float64Array && shas.length === sizes.length * SHA256_HEX;
  },
};

/** Blob → size for each of many timeline data sets, through the derived cache. */
export async function datasetBlobSizes(
  store: Store,
  datasetIds: Iterable<string>,
  options: { signal?: AbortSignal } = {},
): Promise<Map<string, Map<string, number>>> {
  const compact = await derivePerDataset(store, datasetIds, DATASET_BLOBS, options);
  const expand = ({ shas, sizes }: DatasetBlobs) => new Map(Array.from(sizes, (size, i) => [shas.slice(i * SHA256_HEX, (i + 1) * SHA256_HEX), size]));
  return new Map([...compact].map(([id, blobs]) => [id, expand(blobs)]));
}
