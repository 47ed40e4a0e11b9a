import { strFromU8 } from 'fflate';
import { ZipError } from './zip-error';

/** One record of the zip's central directory: what fflate's readers do not expose. */
export interface ZipDirectoryEntry {
  /** The name as stored, decoded; not yet checked or normalised. */
  name: string;
  /** General-purpose bit flags; bit 0 means encrypted. */
  flags: number;
  /** 0 = stored, 8 = deflate. */
  method: number;
  crc32: number;
  compressedSize: number;
  /** Declared uncompressed size; may lie, so extraction counts real bytes too. */
  size: number;
  localHeaderOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const DIRECTORY_RECORD = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const END_RECORD_SIZE = 22;
const DIRECTORY_RECORD_SIZE = 46;
const ZIP64_EXTRA_ID = 0x0001;
const SATURATED_32 = 0xffffffff;

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

// Names are UTF-8 when flag bit 11 is set, and in practice from many tools
// that do not set it; anything else falls back to Latin-1, as fflate does.
function decodeName(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return strFromU8(bytes, true);
  }
}

function uint64(view: DataView, offset: number): number {
  const value = view.getBigUint64(offset, true);
  if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new RangeError('zip64 field out of range');
  return Number(value);
}

// The end record sits in the last 22 bytes plus an optional comment of up to 64 KiB.
function findEndRecord(view: DataView): number | null {
  const last = view.byteLength - END_RECORD_SIZE;
  for (let offset = last; offset >= 0 && offset >= last - 0xffff; offset--) {
    if (view.getUint32(offset, true) === END_OF_DIRECTORY) return offset;
  }
  return null;
}

function locateDirectory(view: DataView, end: number): { count: number; offset: number } {
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0) {
    throw new ZipError('unsupported', 'This zip is split across several files; join it into a single .zip first.');
  }
  const count = view.getUint16(end + 10, true);
  const offset = view.getUint32(end + 16, true);
  if (count !== 0xffff && offset !== SATURATED_32) return { count, offset };
  // Zip64: the real values live in the zip64 end record the locator points to.
  // Without a locator the saturated values are real (exactly 65 535 entries).
  const locator = end - 20;
  if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR) return { count, offset };
  const record = uint64(view, locator + 8);
  if (view.getUint32(record, true) !== ZIP64_END_OF_DIRECTORY) throw new RangeError('no zip64 end record');
  return { count: uint64(view, record + 32), offset: uint64(view, record + 48) };
}

// Zip64 extra field: 64-bit values, in this order, for each 32-bit field that is saturated.
function applyZip64Extra(view: DataView, start: number, length: number, entry: ZipDirectoryEntry): void {
  for (let offset = start; offset + 4 <= start + length; offset += 4 + view.getUint16(offset + 2, true)) {
    if (view.getUint16(offset, true) !== ZIP64_EXTRA_ID) continue;
    let field = offset + 4;
    const next = () => {
      const value = uint64(view, field);
      field += 8;
      return value;
    };
    if (entry.size === SATURATED_32) entry.size = next();
    if (entry.compressedSize === SATURATED_32) entry.compressedSize = next();
    if (entry.localHeaderOffset === SATURATED_32) entry.localHeaderOffset = next();
    return;
  }
}

function readRecord(bytes: Uint8Array, view: DataView, offset: number): { entry: ZipDirectoryEntry; next: number } {
  if (view.getUint32(offset, true) !== DIRECTORY_RECORD) throw new RangeError('not a directory record');
  const nameStart = offset + DIRECTORY_RECORD_SIZE;
  const nameEnd = nameStart + view.getUint16(offset + 28, true);
  const extraLength = view.getUint16(offset + 30, true);
  const next = nameEnd + extraLength + view.getUint16(offset + 32, true);
  if (next > bytes.length) throw new RangeError('directory record past the end');
  const entry: ZipDirectoryEntry = {
    name: decodeName(bytes.subarray(nameStart, nameEnd)),
    flags: view.getUint16(offset + 8, true),
    method: view.getUint16(offset + 10, true),
    crc32: view.getUint32(offset + 16, true),
    compressedSize: view.getUint32(offset + 20, true),
    size: view.getUint32(offset + 24, true),
    localHeaderOffset: view.getUint32(offset + 42, true),
  };
  applyZip64Extra(view, nameEnd, extraLength, entry);
  return { entry, next };
}

/**
 * Reads the central directory (supporting zip64) without inflating anything.
 * Throws ZipError 'not-zip' or 'truncated' when there is no usable directory.
 */
export function readZipDirectory(bytes: Uint8Array): ZipDirectoryEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndRecord(view);
  if (end === null) {
    const startsLikeZip = bytes.length >= 4 && view.getUint32(0, true) === LOCAL_HEADER;
    throw startsLikeZip
      ? new ZipError('truncated', 'This zip file is truncated: its end (the list of files) is missing. Download or copy it again.')
      : new ZipError('not-zip', 'This is not a zip file.');
  }
  try {
    const { count, offset } = locateDirectory(view, end);
    if (count * DIRECTORY_RECORD_SIZE > bytes.length) throw new RangeError('more entries than bytes');
    const entries: ZipDirectoryEntry[] = [];
    let cursor = offset;
    for (let index = 0; index < count; index++) {
      const { entry, next } = readRecord(bytes, view, cursor);
      entries.push(entry);
      cursor = next;
    }
    return entries;
  } catch (error) {
    if (!(error instanceof RangeError)) throw error;
    throw new ZipError('truncated', 'This zip file is truncated or damaged: its list of files is unreadable.');
  }
}

/** Where an entry's (compressed) data starts, after its local header. */
export function entryDataOffset(bytes: Uint8Array, entry: ZipDirectoryEntry): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = entry.localHeaderOffset;
  if (at + 30 > bytes.length || view.getUint32(at, true) !== LOCAL_HEADER) {
    throw new ZipError('corrupt', `The zip entry "${entry.name}" is damaged: its header is missing.`, entry.name);
  }
  return at + 30 + view.getUint16(at + 26, true) + view.getUint16(at + 28, true);
}
