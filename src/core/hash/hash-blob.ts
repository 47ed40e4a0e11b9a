import { createMD5, createSHA256 } from 'hash-wasm';
import { hashBytes, type ContentHashes } from './hash-bytes';

const MiB = 1024 * 1024;

export interface HashBlobOptions {
  /** Blobs larger than this are hashed in chunks so memory stays bounded. */
  streamAbove?: number;
  /** Bytes read per chunk when streaming. */
  chunkSize?: number;
}

/**
 * Hashes a Blob (or File). Small blobs are read once and hashed with WebCrypto,
 * which is fastest; large ones are read slice by slice into incremental
 * hashers, because WebCrypto cannot hash incrementally. Both paths give the
 * same result.
 */
export async function hashBlob(
  blob: Blob,
  signal?: AbortSignal,
  { streamAbove = 64 * MiB, chunkSize = 8 * MiB }: HashBlobOptions = {},
): Promise<ContentHashes> {
  signal?.throwIfAborted();
  if (blob.size <= streamAbove) return hashBytes(await blob.arrayBuffer());

  const [sha256, md5] = await Promise.all([createSHA256(), createMD5()]);
  sha256.init();
  md5.init();
  for (let offset = 0; offset < blob.size; offset += chunkSize) {
    signal?.throwIfAborted();
    const chunk = new Uint8Array(await blob.slice(offset, offset + chunkSize).arrayBuffer());
    sha256.update(chunk);
    md5.update(chunk);
  }
  return { sha256: sha256.digest('hex'), md5: md5.digest('hex'), size: blob.size };
}
