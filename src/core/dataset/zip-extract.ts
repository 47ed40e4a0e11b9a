import { FlateErrorCode, Inflate } from 'fflate';
import { crc32 } from './crc32';
import { entryDataOffset, type ZipDirectoryEntry } from './zip-directory';
import { ZipError } from './zip-error';

// Compressed bytes fed to the inflater per step. Deflate expands at most
// ~1032×, so one step never produces more than ~33 MB before the size check.
const INPUT_CHUNK_BYTES = 32 * 1024;

function damaged(entry: ZipDirectoryEntry, detail: string): ZipError {
  return new ZipError('corrupt', `The zip entry "${entry.name}" is damaged: ${detail}.`, entry.name);
}

function flateFailure(entry: ZipDirectoryEntry, error: unknown): ZipError {
  if (error instanceof ZipError) return error;
  if ((error as { code?: unknown }).code === FlateErrorCode.UnexpectedEOF) {
    return new ZipError('truncated', `The zip entry "${entry.name}" ends unexpectedly: the zip is truncated or damaged.`, entry.name);
  }
  return damaged(entry, `its compressed data is invalid (${(error as Error).message})`);
}

// Streams the inflation and counts the real output against the declared size,
// so a header that understates the size cannot smuggle in a bomb.
function inflateWithinDeclaredSize(compressed: Uint8Array, entry: ZipDirectoryEntry): Uint8Array {
  const out = new Uint8Array(entry.size);
  let written = 0;
  const inflater = new Inflate((chunk) => {
    if (written + chunk.length > out.length) {
      throw new ZipError(
        'too-large',
        `The zip entry "${entry.name}" expands beyond the ${entry.size} bytes its header declares; the zip was refused (zip bomb?).`,
        entry.name,
      );
    }
    out.set(chunk, written);
    written += chunk.length;
  });
  try {
    for (let offset = 0; offset < compressed.length; offset += INPUT_CHUNK_BYTES) {
      const last = offset + INPUT_CHUNK_BYTES >= compressed.length;
      inflater.push(compressed.subarray(offset, offset + INPUT_CHUNK_BYTES), last);
    }
  } catch (error) {
    throw flateFailure(entry, error);
  }
  if (written !== out.length) throw damaged(entry, `it holds ${written} bytes instead of the declared ${entry.size}`);
  return out;
}

/** Decompresses one entry (stored or deflate) and verifies its CRC-32. */
export function extractZipEntry(bytes: Uint8Array, entry: ZipDirectoryEntry): Uint8Array {
  const start = entryDataOffset(bytes, entry);
  const end = start + entry.compressedSize;
  if (end > bytes.length) {
    throw new ZipError('truncated', `The zip entry "${entry.name}" is cut off: the zip is truncated.`, entry.name);
  }
  const compressed = bytes.subarray(start, end);
  if (entry.method === 0 && entry.compressedSize !== entry.size) {
    throw damaged(entry, 'its stored size does not match its declared size');
  }
  // Copies, so a file never pins (or transfers) the whole zip's buffer.
  const content = entry.method === 0 ? compressed.slice() : inflateWithinDeclaredSize(compressed, entry);
  if (crc32(content) !== entry.crc32) throw damaged(entry, 'its checksum (CRC-32) does not match');
  return content;
}
